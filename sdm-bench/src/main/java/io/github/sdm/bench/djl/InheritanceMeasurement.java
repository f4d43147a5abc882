package io.github.sdm.bench.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.bench.perf.CpuTimes;
import io.github.sdm.bench.perf.Samples;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.inheritance.FeatureInheritance;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.strategy.DenoisingStrategies;
import io.github.sdm.unet.djl.strategy.DenoisingStrategy;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Speed and deviation of feature inheritance, for {@code docs/feature-inheritance.md}.
 *
 * <p>{@code speed}: SD 1.5's real UNet with seeded random weights, batch 2 (classifier-free guidance), one
 * "generation" of {@code --calls} consecutive UNet calls per setting; settings are interleaved round-robin
 * over {@code --rounds} rounds and the median total per setting is reported with its ratio to FULL, in wall
 * time and in process CPU time (robust when other processes share the cores). The median CPU time of a
 * reuse call relative to a full call also projects the speed-up of a 50-call generation.
 *
 * <p>{@code deviation}: the tiny UNet of {@code models/tiny-sd} on 20 calls at DPM-Solver++'s timesteps
 * (diffusers, 20 steps, linspace spacing); call i gets {@code sqrt(abar) x0 + sqrt(1-abar) eps} at its
 * timestep, the same inputs for every setting; max and mean absolute difference of the outputs vs FULL.
 *
 * <p>It measures any specs at the UNet level, beside the pipeline-level {@code sdm bench --compare inheritance}
 * (speed per preset) and {@code sdm bench deviation} (final latents and image per preset).
 *
 * <p>Usage, from the repository root: {@code scripts/sdm bench tool inheritance
 * speed|deviation [--size 64] [--calls 10] [--rounds 3] [--specs a;b;...]}
 */
public final class InheritanceMeasurement {
    private static final List<String> SPEED_SPECS = List.of("block:2:interval=2", "block:2:interval=3",
            "block:2:interval=5", "block:3:interval=3", "layer:deep:interval=2", "unit:attn2,ff:interval=3",
            "unit:attn1:interval=2");
    private static final List<String> DEVIATION_SPECS = List.of("block:1:interval=2", "block:1:interval=3",
            "block:1:interval=5", "block:2:interval=2",
            "block:2:interval=3", "block:2:interval=5", "block:3:interval=3", "block:2:quadratic=3",
            "block:2:bands=2,2,interval=4", "layer:deep:interval=2", "layer:deep:interval=3", "layer:mid:interval=3",
            "unit:attn1:interval=2", "unit:attn2:interval=3", "unit:attn2,ff:interval=3", "unit:attn1,attn2,ff:interval=2");

    private InheritanceMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String mode = args.length > 0 ? args[0] : "speed";
        if (mode.equals("speed")) {
            speed(Integer.parseInt(opts.getOrDefault("size", "64")), Integer.parseInt(opts.getOrDefault("calls", "10")),
                    Integer.parseInt(opts.getOrDefault("rounds", "3")), specs(opts, SPEED_SPECS));
        } else if (mode.equals("deviation")) {
            deviation(specs(opts, DEVIATION_SPECS));
        } else {
            throw new IllegalArgumentException("mode must be speed or deviation, got " + mode);
        }
    }

    private static List<String> specs(Map<String, String> opts, List<String> defaults) {
        return opts.containsKey("specs") ? List.of(opts.get("specs").split(";")) : defaults;
    }

    private static void speed(int size, int calls, int rounds, List<String> specs) {
        List<String> settings = new ArrayList<>();
        settings.add("FULL");
        settings.addAll(specs);
        try (NDManager manager = NDManager.newBaseManager()) {
            long t0 = System.nanoTime();
            UNet2DConditionModel unet = UNet2DConditionModel.random(UNetConfig.stableDiffusion15(), 42, manager);
            System.out.printf(Locale.ROOT, "SD 1.5 UNet, random weights (%.0f s to build); batch 2, latents %dx%d,"
                    + " %d calls per generation, %d rounds, %s%n", (System.nanoTime() - t0) / 1e9, size, size, calls,
                    rounds, Runtime.getRuntime().availableProcessors() + " CPUs");
            manager.getEngine().setRandomSeed(1);
            NDArray sample = manager.randomNormal(new Shape(2, 4, size, size));
            NDArray context = manager.randomNormal(new Shape(2, 77, 768));
            List<NDArray> timesteps = new ArrayList<>();
            for (int t : dpmSolverTimesteps(calls)) {
                timesteps.add(manager.create((float) t));
            }
            unet.forward(sample, timesteps.get(0), context, ForwardContext.DEFAULT).close(); // warm-up
            Map<String, List<Double>> seconds = new LinkedHashMap<>();
            Map<String, List<Double>> cpuSeconds = new LinkedHashMap<>();
            Map<String, List<Double>> keyCallCpu = new LinkedHashMap<>();
            Map<String, List<Double>> reuseCallCpu = new LinkedHashMap<>();
            for (int r = 0; r < rounds; r++) {
                for (String setting : settings) {
                    DenoiserSessionOptions options = setting.equals("FULL") ? new DenoiserSessionOptions(calls)
                            : new DenoiserSessionOptions(calls, java.util.List.of(FeatureInheritance.parse(setting)));
                    long start = System.nanoTime();
                    long cpuStart = CpuTimes.processNanos();
                    try (DenoisingStrategy strategy = DenoisingStrategies.forSession(options, manager)) {
                        for (int i = 0; i < calls; i++) {
                            long callStart = CpuTimes.processNanos();
                            strategy.predict(unet, sample, timesteps.get(i), context, i, ForwardContext.DEFAULT).close();
                            boolean key = isKeyCall(options, i, calls);
                            (key ? keyCallCpu : reuseCallCpu).computeIfAbsent(setting, k -> new ArrayList<>())
                                    .add((CpuTimes.processNanos() - callStart) / 1e9);
                        }
                    }
                    double s = (System.nanoTime() - start) / 1e9;
                    double cpu = (CpuTimes.processNanos() - cpuStart) / 1e9;
                    seconds.computeIfAbsent(setting, k -> new ArrayList<>()).add(s);
                    cpuSeconds.computeIfAbsent(setting, k -> new ArrayList<>()).add(cpu);
                    System.out.printf(Locale.ROOT, "  round %d %-28s %7.2f s wall %7.2f s CPU%n", r, setting, s, cpu);
                }
            }
            double full = Samples.median(seconds.get("FULL"));
            double fullCpu = Samples.median(cpuSeconds.get("FULL"));
            double fullCall = Samples.median(keyCallCpu.get("FULL"));
            System.out.printf(Locale.ROOT, "%n| setting | key calls | wall s (%d calls) | speed-up (wall) | CPU s |"
                    + " speed-up (CPU) | UNet time skipped (CPU) | reuse call / full call (CPU) | 50 calls: keys,"
                    + " projected speed-up |%n|---|---|---|---|---|---|---|---|---|%n", calls);
            for (String setting : settings) {
                double m = Samples.median(seconds.get(setting));
                double c = Samples.median(cpuSeconds.get(setting));
                int keys = setting.equals("FULL") ? calls
                        : FeatureInheritance.parse(setting).schedule().keySteps(calls).length;
                String reuse = "-";
                String projected = "-";
                if (reuseCallCpu.containsKey(setting)) {
                    double r = Samples.median(reuseCallCpu.get(setting)) / fullCall;
                    int keys50 = FeatureInheritance.parse(setting).schedule().keySteps(50).length;
                    reuse = String.format(Locale.ROOT, "%.2f", r);
                    projected = String.format(Locale.ROOT, "%d, %.2fx", keys50, 50 / (keys50 + (50 - keys50) * r));
                }
                System.out.printf(Locale.ROOT, "| `%s` | %d/%d | %.1f | %.2fx | %.1f | %.2fx | %.0f%% | %s | %s |%n",
                        setting, keys, calls, m, full / m, c, fullCpu / c, 100 * (1 - c / fullCpu), reuse, projected);
            }
            unet.close();
        }
    }

    private static void deviation(List<String> specs) {
        int calls = 20;
        Path folder = Path.of("models/tiny-sd/unet");
        for (Path p = Path.of("").toAbsolutePath(); p != null && !Files.exists(folder); p = p.getParent()) {
            folder = p.resolve("models/tiny-sd/unet");
        }
        try (NDManager manager = NDManager.newBaseManager();
                UNet2DConditionModel unet = UNet2DConditionModel.load(folder, manager)) {
            manager.getEngine().setRandomSeed(3);
            NDArray x0 = manager.randomNormal(new Shape(1, 4, 8, 8));
            NDArray noise = manager.randomNormal(new Shape(1, 4, 8, 8));
            NDArray context = manager.randomNormal(new Shape(2, 77, 32));
            int[] timesteps = dpmSolverTimesteps(calls);
            List<NDArray> samples = new ArrayList<>();
            List<NDArray> ts = new ArrayList<>();
            for (int t : timesteps) {
                double abar = alphaBar(t);
                NDArray xt = x0.mul((float) Math.sqrt(abar)).add(noise.mul((float) Math.sqrt(1 - abar)));
                samples.add(xt.concat(xt, 0)); // guidance batch: the same latents twice, two embeddings
                ts.add(manager.create((float) t));
            }
            List<float[]> full = run(unet, "FULL", samples, ts, context, manager);
            double fullMeanAbs = 0;
            for (float[] f : full) {
                fullMeanAbs += meanAbs(f) / calls;
            }
            System.out.printf(Locale.ROOT, "tiny UNet (models/tiny-sd), %d calls at DPM-Solver++ timesteps %s,"
                    + " batch 2; mean |output| of FULL %.4f%n%n", calls, Arrays.toString(timesteps), fullMeanAbs);
            System.out.println("| setting | key calls | max abs diff | mean abs diff | mean abs diff, reuse calls only |");
            System.out.println("|---|---|---|---|---|");
            for (String spec : specs) {
                List<float[]> out = run(unet, spec, samples, ts, context, manager);
                int[] keys = FeatureInheritance.parse(spec).schedule().keySteps(calls);
                double max = 0;
                double sum = 0;
                double reuseSum = 0;
                int reuseCalls = 0;
                for (int i = 0; i < calls; i++) {
                    float[] a = full.get(i);
                    float[] b = out.get(i);
                    double callSum = 0;
                    for (int j = 0; j < a.length; j++) {
                        double d = Math.abs(a[j] - b[j]);
                        max = Math.max(max, d);
                        callSum += d;
                    }
                    sum += callSum / a.length;
                    if (Arrays.binarySearch(keys, i) < 0) {
                        reuseSum += callSum / a.length;
                        reuseCalls++;
                    }
                }
                System.out.printf(Locale.ROOT, "| `%s` | %d/%d | %.4f | %.5f | %.5f |%n", spec, keys.length, calls, max,
                        sum / calls, reuseCalls == 0 ? 0 : reuseSum / reuseCalls);
            }
        }
    }

    private static List<float[]> run(UNet2DConditionModel unet, String setting, List<NDArray> samples,
            List<NDArray> timesteps, NDArray context, NDManager manager) {
        int calls = samples.size();
        DenoiserSessionOptions options = setting.equals("FULL") ? new DenoiserSessionOptions(calls)
                : new DenoiserSessionOptions(calls, java.util.List.of(FeatureInheritance.parse(setting)));
        List<float[]> out = new ArrayList<>();
        try (DenoisingStrategy strategy = DenoisingStrategies.forSession(options, manager)) {
            for (int i = 0; i < calls; i++) {
                try (NDArray o = strategy.predict(unet, samples.get(i), timesteps.get(i), context, i,
                        ForwardContext.DEFAULT)) {
                    out.add(o.toFloatArray());
                }
            }
        }
        return out;
    }

    /** diffusers' DPMSolverMultistepScheduler timesteps: linspace(0, 999, n + 1).round(), reversed, last dropped. */
    static int[] dpmSolverTimesteps(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = (int) Math.round(999.0 * (n - i) / n);
        }
        return t;
    }

    /** SD's scaled-linear schedule: betas = linspace(sqrt(0.00085), sqrt(0.012), 1000)^2, cumulative product. */
    private static double alphaBar(int t) {
        double a = Math.sqrt(0.00085);
        double b = Math.sqrt(0.012);
        double prod = 1;
        for (int i = 0; i <= t; i++) {
            double beta = Math.pow(a + (b - a) * i / 999.0, 2);
            prod *= 1 - beta;
        }
        return prod;
    }

    private static double meanAbs(float[] v) {
        double s = 0;
        for (float x : v) {
            s += Math.abs(x);
        }
        return s / v.length;
    }

    private static boolean isKeyCall(DenoiserSessionOptions options, int call, int calls) {
        return options.extension(FeatureInheritance.class).map(f -> f.isKey(call, calls)).orElse(true);
    }
}
