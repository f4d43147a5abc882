package io.github.sdm.bench.inheritance;

import io.github.sdm.bench.perf.CpuTimes;
import io.github.sdm.bench.perf.ToolOptions;
import io.github.sdm.bench.report.MachineInfo;
import io.github.sdm.bench.report.MemoryUsage;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.spi.BackendSelector;
import io.github.sdm.core.spi.DenoiserSession;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.SessionExtension;
import io.github.sdm.core.spi.TextConditioning;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.inheritance.FeatureInheritance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Feature inheritance's speed-up on each backend, through the network SPI, in one run: per backend (loaded one after
 * the other, so only one model is resident), one "generation" of {@code calls} UNet calls (batch 2, as under
 * guidance; timesteps descending from 999) per setting, full computation and each spec, interleaved round-robin over
 * {@code rounds} rounds after one unmeasured warm-up generation of 4 calls per setting (it opens the built graphs'
 * variant sessions). Reports the median wall and process CPU time per setting and its speed-up over full
 * computation on the same backend, and the resident set after the warm-ups.
 *
 * <p>Usage: {@code sdm bench tool inheritance-backends MODEL [size=256 calls=10 rounds=1 backends=djl,onnx
 * specs=deepcache;deepcache-shallow threads=0]}
 */
public final class InheritanceOnBackends {
    private static final int WARMUP_CALLS = 4;

    private InheritanceOnBackends() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || args[0].contains("=")) {
            throw new InvalidRequestException("inheritance-backends: the first argument is the model folder");
        }
        Path model = Path.of(args[0]);
        ToolOptions options = ToolOptions.parse(Arrays.copyOfRange(args, 1, args.length));
        int size = options.integer("size", 256);
        int calls = options.integer("calls", 10);
        int rounds = options.integer("rounds", 1);
        int threads = options.integer("threads", 0);
        List<String> backends = List.of(options.text("backends", "djl,onnx").split(","));
        List<String> specs = new ArrayList<>();
        specs.add(null);
        specs.addAll(List.of(options.text("specs", "deepcache;deepcache-shallow").split(";")));
        System.out.println("Command: sdm bench tool inheritance-backends " + String.join(" ", args));
        System.out.println("Machine at start: " + MachineInfo.current().describe());
        System.out.println();
        System.out.println("| backend | setting | key calls | wall s (median) | speed-up (wall) | CPU s (median) "
                + "| speed-up (CPU) |");
        System.out.println("|---|---|---|---:|---:|---:|---:|");
        for (String backend : backends) {
            measure(model, backend, threads, size, calls, rounds, specs);
        }
        System.out.println();
        System.out.println("Machine at end: " + MachineInfo.current().describe());
    }

    private static void measure(Path model, String backend, int threads, int size, int calls, int rounds,
            List<String> specs) {
        ModelLocation location = ModelLocation.folder(model);
        LoadOptions load = LoadOptions.defaults().withBackend(backend).withThreads(threads);
        try (DiffusionNetworks networks = BackendSelector.fromClasspath().choose(location, load).load(location, load)) {
            TextConditioning text = networks.textEncoder().encode(new long[2][77]);
            int latent = size / networks.vae().downscaleFactor();
            int[] shape = {2, networks.unet().inChannels(), latent, latent};
            Random random = new Random(42);
            float[] values = new float[(int) FloatTensor.count(shape)];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            FloatTensor sample = new FloatTensor(values, shape);
            for (String spec : specs) {
                generation(networks, spec, WARMUP_CALLS, sample, text);
                System.err.printf(Locale.ROOT, "%s: resident after the warm-up of %s %.2f GiB%n", backend, label(spec),
                        MemoryUsage.residentNow() / (double) (1L << 30));
            }
            System.err.printf(Locale.ROOT, "%s: resident after the warm-ups %.2f GiB%n", backend,
                    MemoryUsage.residentNow() / (double) (1L << 30));
            long[][] wall = new long[specs.size()][rounds];
            long[][] cpu = new long[specs.size()][rounds];
            for (int round = 0; round < rounds; round++) {
                for (int s = 0; s < specs.size(); s++) {
                    long cpuStart = CpuTimes.processNanos();
                    long start = System.nanoTime();
                    generation(networks, specs.get(s), calls, sample, text);
                    wall[s][round] = System.nanoTime() - start;
                    cpu[s][round] = CpuTimes.processNanos() - cpuStart;
                    System.err.printf(Locale.ROOT, "%s %s round %d: %.1f s%n", backend, label(specs.get(s)), round + 1,
                            wall[s][round] / 1e9);
                }
            }
            double fullWall = median(wall[0]);
            double fullCpu = median(cpu[0]);
            for (int s = 0; s < specs.size(); s++) {
                String spec = specs.get(s);
                int keys = spec == null ? calls : FeatureInheritance.parse(spec).schedule().keySteps(calls).length;
                System.out.printf(Locale.ROOT, "| %s | %s | %d/%d | %.1f | %.2fx | %.1f | %.2fx |%n", backend,
                        label(spec), keys, calls, median(wall[s]) / 1e9, fullWall / median(wall[s]),
                        median(cpu[s]) / 1e9, fullCpu / median(cpu[s]));
            }
            System.out.printf(Locale.ROOT, "%n%s: resident set after the measurements %.2f GiB%n%n", backend,
                    MemoryUsage.residentNow() / (double) (1L << 30));
        }
    }

    private static void generation(DiffusionNetworks networks, String spec, int calls, FloatTensor sample,
            TextConditioning text) {
        List<SessionExtension> extensions = spec == null ? List.of() : List.of(FeatureInheritance.parse(spec));
        try (DenoiserSession session = networks.unet().openSession(new DenoiserSessionOptions(calls, extensions))) {
            for (int call = 0; call < calls; call++) {
                session.predict(sample, 999.0 * (calls - call) / calls, call, text);
            }
        }
    }

    private static String label(String spec) {
        return spec == null ? "full" : spec.contains(":") ? spec : spec + " (" + FeatureInheritance.parse(spec).spec()
                + ")";
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
