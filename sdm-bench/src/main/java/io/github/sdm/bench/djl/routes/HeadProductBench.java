package io.github.sdm.bench.djl.routes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.bench.djl.EngineThreads;
import io.github.sdm.bench.perf.Samples;
import io.github.sdm.bench.perf.ToolOptions;
import io.github.sdm.bench.report.MachineInfo;
import java.util.function.Supplier;

/**
 * The two products of one attention head's chunk, {@code scores = q k^T} ({@code [n, d] x [d, m]}) and
 * {@code out = p v} ({@code [n, m] x [m, d]}), as the engine's matmul (BLAS) and as 1x1 convolutions over
 * channels-last views (oneDNN), timed round-robin.
 *
 * <pre>
 * scripts/sdm bench tool head-product \
 *     n=1024 m=4096 d=40 rounds=20
 * </pre>
 */
public final class HeadProductBench {
    private static final Shape UNIT = new Shape(1, 1);
    private static final Shape NO_PADDING = new Shape(0, 0);

    private HeadProductBench() {
    }

    public static void main(String[] args) {
        ToolOptions o = ToolOptions.parse(args);
        System.out.println("machine at start: " + MachineInfo.current().describe());
        System.out.println(EngineThreads.set(o.integer("threads", 0)));
        long n = o.integer("n", 1024);
        long m = o.integer("m", 4096);
        long d = o.integer("d", 40);
        int rounds = o.integer("rounds", 20);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray q = manager.randomNormal(new Shape(n, d));
            NDArray k = manager.randomNormal(new Shape(m, d));
            NDArray p = manager.randomUniform(0, 1, new Shape(n, m)).div(m);
            NDArray v = manager.randomNormal(new Shape(m, d));
            NDArray kt = k.transpose();
            NDArray kw = k.reshape(m, d, 1, 1);
            NDArray vtw = v.transpose().duplicate().reshape(d, m, 1, 1);
            String[] names = {"scores matmul", "scores conv", "output matmul", "output conv"};
            @SuppressWarnings("unchecked")
            Supplier<NDArray>[] ops = new Supplier[] {
                () -> q.matMul(kt),
                () -> conv(q.reshape(1, n, 1, d).transpose(0, 3, 1, 2), kw).transpose(0, 2, 3, 1).reshape(n, m),
                () -> p.matMul(v),
                () -> conv(p.reshape(1, n, 1, m).transpose(0, 3, 1, 2), vtw).transpose(0, 2, 3, 1).reshape(n, d)};
            double[][] wall = new double[ops.length][rounds];
            float[][] first = new float[ops.length][];
            for (int r = -1; r < rounds; r++) {
                for (int i = 0; i < ops.length; i++) {
                    try (NDManager scope = manager.newSubManager()) {
                        q.tempAttach(scope);
                        p.tempAttach(scope);
                        long t0 = System.nanoTime();
                        NDArray y = ops[i].get();
                        if (r >= 0) {
                            wall[i][r] = (System.nanoTime() - t0) / 1e9;
                        } else {
                            first[i] = y.toFloatArray();
                        }
                    }
                }
            }
            for (int i = 0; i < ops.length; i++) {
                double flop = 2.0 * n * m * d;
                double t = Samples.median(wall[i]);
                System.out.printf("%-14s median %.5f s (%.1f GFLOP/s)%n", names[i], t, flop / t / 1e9);
            }
            System.out.println("scores " + Samples.difference(first[0], first[1]));
            System.out.println("output " + Samples.difference(first[2], first[3]));
        }
        System.out.println("load average at end: " + MachineInfo.current().loadAverage());
    }

    private static NDArray conv(NDArray x, NDArray w) {
        return x.getNDArrayInternal().convolution(x, w, null, UNIT, NO_PADDING, UNIT, 1).singletonOrThrow();
    }
}
