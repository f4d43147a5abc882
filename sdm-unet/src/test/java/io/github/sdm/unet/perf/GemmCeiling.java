package io.github.sdm.unet.perf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The float32 matrix-product rate of this machine through the engine: {@code [m, k] x [k, n]} products
 * timed in wall and process CPU seconds.
 *
 * <pre>java ... io.github.sdm.unet.perf.GemmCeiling [threads=0] [m=8192 k=1280 n=1280 reps=10]</pre>
 */
public final class GemmCeiling {
    private GemmCeiling() {
    }

    public static void main(String[] args) {
        AbHarness.Options o = AbHarness.Options.parse(args);
        System.out.println("uptime at start: " + AbHarness.uptime());
        AbHarness.engineThreads(o.integer("threads", 0));
        long m = o.integer("m", 8192);
        long k = o.integer("k", 1280);
        long n = o.integer("n", 1280);
        int reps = o.integer("reps", 10);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomUniform(-1, 1, new Shape(m, k));
            NDArray b = manager.randomUniform(-1, 1, new Shape(k, n));
            a.matMul(b).close();
            double flop = 2.0 * m * k * n * reps;
            long cpu = AbHarness.processCpuNanos();
            long start = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                a.matMul(b).close();
            }
            double wall = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (AbHarness.processCpuNanos() - cpu) / 1e9;
            System.out.printf("[%d,%d]x[%d,%d]: %.1f GFLOP/s wall, %.1f GFLOP per cpu-second%n", m, k, k, n,
                    flop / wall / 1e9, flop / cpuSeconds / 1e9);
        }
        System.out.println("uptime at end: " + AbHarness.uptime());
    }
}
