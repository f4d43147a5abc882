package io.github.sdm.bench.djl.routes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.bench.djl.EngineThreads;
import io.github.sdm.bench.perf.Samples;
import io.github.sdm.bench.perf.ToolOptions;
import io.github.sdm.bench.report.MachineInfo;

/**
 * A 3x3 convolution (padding 1) whole and in slices of output channels (each slice's weight is
 * reordered by the engine on every call; large weights reorder far slower per byte), timed round-robin.
 *
 * <pre>
 * scripts/sdm bench tool conv-split \
 *     b=2 c=1280 out=1280 hw=8 parts=1,2,4,8 rounds=15
 * </pre>
 */
public final class ConvSplitBench {
    private static final Shape UNIT = new Shape(1, 1);

    private ConvSplitBench() {
    }

    public static void main(String[] args) {
        ToolOptions o = ToolOptions.parse(args);
        System.out.println("machine at start: " + MachineInfo.current().describe());
        System.out.println(EngineThreads.set(o.integer("threads", 0)));
        long b = o.integer("b", 2);
        long c = o.integer("c", 1280);
        long out = o.integer("out", 1280);
        long hw = o.integer("hw", 8);
        int rounds = o.integer("rounds", 15);
        String[] parts = o.text("parts", "1,2,4,8").split(",");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(b, c, hw, hw));
            NDArray w = manager.randomNormal(new Shape(out, c, 3, 3)).div(Math.sqrt(9.0 * c));
            NDArray bias = manager.randomNormal(new Shape(out));
            double[][] wall = new double[parts.length][rounds];
            float[] reference = null;
            for (int r = -1; r < rounds; r++) {
                for (int i = 0; i < parts.length; i++) {
                    int n = Integer.parseInt(parts[i]);
                    try (NDManager scope = manager.newSubManager()) {
                        x.tempAttach(scope);
                        long t0 = System.nanoTime();
                        NDArray y = split(x, w, bias, n);
                        if (r >= 0) {
                            wall[i][r] = (System.nanoTime() - t0) / 1e9;
                        } else if (reference == null) {
                            reference = y.toFloatArray();
                        } else {
                            System.out.println(n + " parts: " + Samples.difference(reference, y.toFloatArray()));
                        }
                    }
                }
            }
            double flop = 2.0 * b * c * out * 9 * hw * hw;
            for (int i = 0; i < parts.length; i++) {
                double t = Samples.median(wall[i]);
                System.out.printf("[%d,%d,%d,%d]->%d in %s parts: median %.4f s (%.1f GFLOP/s)%n", b, c, hw, hw, out,
                        parts[i], t, flop / t / 1e9);
            }
        }
    }

    static NDArray split(NDArray x, NDArray w, NDArray bias, int parts) {
        if (parts == 1) {
            return x.getNDArrayInternal().convolution(x, w, bias, UNIT, UNIT, UNIT, 1).singletonOrThrow();
        }
        long out = w.getShape().get(0);
        NDList pieces = new NDList();
        for (int p = 0; p < parts; p++) {
            NDIndex range = new NDIndex("{}:{}", p * out / parts, (p + 1) * out / parts);
            pieces.add(x.getNDArrayInternal().convolution(x, w.get(range), bias.get(range), UNIT, UNIT, UNIT, 1)
                    .singletonOrThrow());
        }
        return NDArrays.concat(pieces, 1);
    }
}
