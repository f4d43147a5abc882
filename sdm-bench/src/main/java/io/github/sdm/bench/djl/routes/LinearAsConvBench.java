package io.github.sdm.bench.djl.routes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.bench.djl.EngineThreads;
import io.github.sdm.bench.perf.CpuTimes;
import io.github.sdm.bench.perf.Samples;
import io.github.sdm.bench.perf.ToolOptions;
import io.github.sdm.bench.report.MachineInfo;

/**
 * A linear layer {@code [B, N, in] -> [B, N, out]} computed by the engine's linear op and as a 1x1
 * convolution over the same memory viewed channels-last ({@code [B, in, N, 1]}), timed round-robin.
 *
 * <pre>
 * scripts/sdm bench tool linear-as-conv \
 *     b=2 n=4096 in=320 out=2560 rounds=5
 * </pre>
 */
public final class LinearAsConvBench {
    private LinearAsConvBench() {
    }

    public static void main(String[] args) {
        ToolOptions o = ToolOptions.parse(args);
        System.out.println("machine at start: " + MachineInfo.current().describe());
        System.out.println(EngineThreads.set(o.integer("threads", 0)));
        long b = o.integer("b", 2);
        long n = o.integer("n", 4096);
        long in = o.integer("in", 320);
        long out = o.integer("out", 2560);
        int rounds = o.integer("rounds", 5);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(b, n, in));
            NDArray w = manager.randomNormal(new Shape(out, in)).div(Math.sqrt(in));
            NDArray bias = manager.randomNormal(new Shape(out));
            NDArray w4 = w.reshape(out, in, 1, 1);
            double[][] wall = new double[3][rounds];
            double[][] cpu = new double[3][rounds];
            float[][] results = new float[3][];
            for (int r = -1; r < rounds; r++) {
                for (int v = 0; v < 3; v++) {
                    long c0 = CpuTimes.processNanos();
                    long t0 = System.nanoTime();
                    NDArray y = v == 0 ? linear(x, w, bias) : v == 1 ? conv(x, w4, bias, b, n, in, out)
                            : convRows(x, w4, bias, b, n, in, out);
                    if (r >= 0) {
                        wall[v][r] = (System.nanoTime() - t0) / 1e9;
                        cpu[v][r] = (CpuTimes.processNanos() - c0) / 1e9;
                    } else {
                        results[v] = y.toFloatArray();
                        System.out.println("variant " + v + " shape " + y.getShape());
                    }
                    y.close();
                }
            }
            double flop = 2.0 * b * n * in * out;
            String[] names = {"linear", "conv 1x1 channels-last", "conv 1x1 rows as batch"};
            for (int v = 0; v < 3; v++) {
                System.out.printf("%-24s median %.4f s wall (%.1f GFLOP/s), %.4f s cpu (%.1f GFLOP/cpu-s)%n",
                        names[v], Samples.median(wall[v]), flop / Samples.median(wall[v]) / 1e9,
                        Samples.median(cpu[v]), flop / Samples.median(cpu[v]) / 1e9);
            }
            System.out.println(Samples.difference(results[0], results[1]));
            System.out.println(Samples.difference(results[0], results[2]));
        }
        System.out.println("load average at end: " + MachineInfo.current().loadAverage());
    }

    static NDArray linear(NDArray x, NDArray w, NDArray bias) {
        return x.getNDArrayInternal().linear(x, w, bias).singletonOrThrow();
    }

    static NDArray convRows(NDArray x, NDArray w4, NDArray bias, long b, long n, long in, long out) {
        NDArray rows = x.reshape(b * n, in, 1, 1);
        NDArray y = rows.getNDArrayInternal().convolution(rows, w4, bias, new Shape(1, 1), new Shape(0, 0),
                new Shape(1, 1), 1).singletonOrThrow();
        return y.reshape(b, n, out);
    }

    static NDArray conv(NDArray x, NDArray w4, NDArray bias, long b, long n, long in, long out) {
        NDArray nchw = x.reshape(b, n, 1, in).transpose(0, 3, 1, 2);
        NDArray y = nchw.getNDArrayInternal().convolution(nchw, w4, bias, new Shape(1, 1), new Shape(0, 0),
                new Shape(1, 1), 1).singletonOrThrow();
        return y.transpose(0, 2, 3, 1).reshape(b, n, out);
    }
}
