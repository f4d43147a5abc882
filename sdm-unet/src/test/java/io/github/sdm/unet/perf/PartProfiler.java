package io.github.sdm.unet.perf;

import ai.djl.ndarray.NDList;
import io.github.sdm.unet.nn.PartInterceptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Where the time of one call goes: every named part is timed through a {@link PartInterceptor} and its
 * own (exclusive) time, without its children's, is summed by part kind. Also reports the call's wall time
 * and the process's peak resident memory.
 *
 * <pre>
 * java -cp classes:test-classes:DJL...:sdm-core... io.github.sdm.unet.perf.PartProfiler \
 *     network=unet latent=32 batch=2 warmup=1 calls=3 [threads=0 slice=0]
 * </pre>
 */
public final class PartProfiler implements PartInterceptor {
    private final Deque<long[]> stack = new ArrayDeque<>();
    private final Map<String, long[]> selfNanos = new TreeMap<>();

    public static void main(String[] args) throws Exception {
        AbHarness.Options o = AbHarness.Options.parse(args);
        String network = o.text("network", "unet");
        int latent = o.integer("latent", 32);
        int batch = o.integer("batch", 2);
        int calls = o.integer("calls", 3);
        System.out.println("uptime at start: " + AbHarness.uptime());
        AbHarness.engineThreads(o.integer("threads", 0));
        try (NetworkRunner runner = new NetworkRunner(network, latent, batch, o.integer("slice", 0))) {
            for (int i = 0; i < o.integer("warmup", 1); i++) {
                runner.get();
            }
            double[] plain = new double[calls];
            double[] cpu = new double[calls];
            for (int i = 0; i < calls; i++) {
                long cpuStart = AbHarness.processCpuNanos();
                long[] ticks = userSystemTicks();
                long start = System.nanoTime();
                runner.get();
                plain[i] = (System.nanoTime() - start) / 1e9;
                cpu[i] = (AbHarness.processCpuNanos() - cpuStart) / 1e9;
                long[] after = userSystemTicks();
                System.out.printf("call %d: %.3f s wall, %.3f s cpu (user %.2f s, system %.2f s)%n", i, plain[i],
                        cpu[i], (after[0] - ticks[0]) / 100.0, (after[1] - ticks[1]) / 100.0);
            }
            PartProfiler profiler = new PartProfiler();
            runner.intercept(profiler);
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                runner.get();
            }
            double profiled = (System.nanoTime() - start) / 1e9 / calls;
            System.out.printf("%s latent %d batch %d: median call %.3f s wall, %.3f s cpu (plain); %.3f s wall"
                    + " (profiled)%n", network, latent, batch, AbHarness.median(plain), AbHarness.median(cpu), profiled);
            profiler.report(calls);
        }
        System.out.println("peak RSS: " + peakRss());
        System.out.println("uptime at end: " + AbHarness.uptime());
    }

    @Override
    public NDList around(String partName, NDList inputs, Function<NDList, NDList> compute) {
        // {wall start, children's wall, cpu start, children's cpu}
        long[] frame = {System.nanoTime(), 0, AbHarness.processCpuNanos(), 0};
        stack.push(frame);
        NDList out = compute.apply(inputs);
        long total = System.nanoTime() - frame[0];
        long cpu = AbHarness.processCpuNanos() - frame[2];
        stack.pop();
        if (!stack.isEmpty()) {
            stack.peek()[1] += total;
            stack.peek()[3] += cpu;
        }
        long[] sums = selfNanos.computeIfAbsent(kind(partName, inputs), k -> new long[2]);
        sums[0] += total - frame[1];
        sums[1] += cpu - frame[3];
        return out;
    }

    /** A part's kind from its checkpoint name (and, for attention, its token count). */
    static String kind(String name, NDList inputs) {
        String leaf = name.substring(name.lastIndexOf('.') + 1);
        if (name.endsWith(".attn1") || name.endsWith(".attn2")) {
            return "attention core " + leaf + " (" + inputs.get(0).getShape().get(1) + " tokens)";
        }
        if (name.endsWith("to_q") || name.endsWith("to_k") || name.endsWith("to_v")) {
            return "attention q/k/v linear";
        }
        if (name.endsWith("to_out.0")) {
            return "attention out linear";
        }
        if (name.endsWith("ff.net.0.proj")) {
            return "feed-forward GEGLU linear";
        }
        if (name.endsWith("ff.net.0")) {
            return "feed-forward GEGLU gate";
        }
        if (name.endsWith("ff.net.2")) {
            return "feed-forward out linear";
        }
        if (name.endsWith(".ff")) {
            return "feed-forward (own)";
        }
        if (name.endsWith("conv1") || name.endsWith("conv2")) {
            return "resnet conv 3x3";
        }
        if (name.endsWith("conv_shortcut")) {
            return "resnet shortcut conv 1x1";
        }
        if (name.endsWith("time_emb_proj")) {
            return "resnet time_emb_proj";
        }
        if (name.matches(".*resnets\\.\\d+")) {
            return "resnet (own: silu, adds)";
        }
        if (name.matches(".*norm\\d?") || name.endsWith("group_norm") || name.endsWith("conv_norm_out")) {
            return leaf.startsWith("norm") && name.contains("transformer_blocks") ? "layer norm" : "group norm";
        }
        if (name.endsWith("proj_in") || name.endsWith("proj_out")) {
            return "transformer proj_in/out";
        }
        if (name.matches(".*transformer_blocks\\.\\d+")) {
            return "transformer block (own: residual adds)";
        }
        if (name.matches(".*attentions\\.\\d+")) {
            return "transformer 2d / vae attention (own)";
        }
        if (name.contains("samplers.0")) {
            return name.endsWith(".conv") ? "sampler conv" : "sampler (own)";
        }
        if (name.matches(".*(up|down)_blocks\\.\\d+") || name.endsWith("mid_block")) {
            return "block (own: concat)";
        }
        if (name.endsWith("conv_in") || name.endsWith("conv_out")) {
            return "conv_in/conv_out";
        }
        return "other: " + (name.isEmpty() ? "(root)" : name.replaceAll("\\d+", "#"));
    }

    private void report(int calls) {
        double wall = 0;
        double cpu = 0;
        for (long[] v : selfNanos.values()) {
            wall += v[0] / 1e9 / calls;
            cpu += v[1] / 1e9 / calls;
        }
        System.out.printf("%-48s %10s %7s %10s %7s%n", "part kind (self time)", "wall s", "share", "cpu s",
                "share");
        for (Map.Entry<String, long[]> e : selfNanos.entrySet().stream()
                .sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1])).toList()) {
            double w = e.getValue()[0] / 1e9 / calls;
            double c = e.getValue()[1] / 1e9 / calls;
            System.out.printf("%-48s %10.3f %6.1f%% %10.3f %6.1f%%%n", e.getKey(), w, 100 * w / wall, c,
                    100 * c / cpu);
        }
        System.out.printf("%-48s %10.3f %6.1f%% %10.3f %6.1f%%%n", "sum of parts (per call)", wall, 100.0, cpu,
                100.0);
    }

    /** This process's user and system CPU time in clock ticks (1/100 s), from /proc/self/stat. */
    static long[] userSystemTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    static String peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM")) {
                    return line.substring(6).trim();
                }
            }
        } catch (IOException e) {
            return "?";
        }
        return "?";
    }
}
