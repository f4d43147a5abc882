package io.github.sdm.bench.djl.routes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.bench.djl.EngineThreads;
import io.github.sdm.bench.perf.Samples;
import io.github.sdm.bench.perf.ToolOptions;
import io.github.sdm.bench.report.MachineInfo;

/**
 * A 3x3 convolution (padding 1) on an NCHW input and on the same input laid out channels-last, timed
 * round-robin, with the rate its FLOPs give.
 *
 * <pre>
 * scripts/sdm bench tool conv-layout \
 *     b=2 c=320 out=320 hw=64 rounds=10
 * </pre>
 */
public final class ConvLayoutBench {
    private static final Shape UNIT = new Shape(1, 1);

    private ConvLayoutBench() {
    }

    /** The convolution in {@code parts} slices of output channels, concatenated. */
    static NDArray split(NDArray x, NDArray w, NDArray bias, int parts) {
        long out = w.getShape().get(0);
        ai.djl.ndarray.NDList pieces = new ai.djl.ndarray.NDList();
        for (int p = 0; p < parts; p++) {
            ai.djl.ndarray.index.NDIndex range = new ai.djl.ndarray.index.NDIndex("{}:{}", p * out / parts,
                    (p + 1) * out / parts);
            pieces.add(x.getNDArrayInternal().convolution(x, w.get(range), bias.get(range), UNIT, new Shape(1, 1),
                    UNIT, 1).singletonOrThrow());
        }
        return ai.djl.ndarray.NDArrays.concat(pieces, 1);
    }

    /** 3x3, padding 1, as im2col (pad, nine shifted views, one copy) and one plain matrix product. */
    static NDArray unfolded(NDArray x, NDArray w2, NDArray bias, boolean viaConvolution) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        NDArray padded = ai.djl.pytorch.jni.JniUtils.pad((ai.djl.pytorch.engine.PtNDArray) x, new long[] {1, 1, 1, 1}, 0);
        ai.djl.ndarray.NDList shifts = new ai.djl.ndarray.NDList();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                shifts.add(padded.get(new ai.djl.ndarray.index.NDIndex(":, :, {}:{}, {}:{}", i, i + h, j, j + w)));
            }
        }
        // [B, H, W, C, 9]: rows are output pixels, columns (channel, tap) as the weight's [out, C*3*3]
        NDArray cols = ai.djl.ndarray.NDArrays.stack(shifts, 4).transpose(0, 2, 3, 1, 4).reshape(b * h * w, c * 9);
        NDArray y;
        if (viaConvolution) {
            long rows = b * h * w;
            NDArray image = cols.reshape(1, rows, 1, c * 9).transpose(0, 3, 1, 2);
            NDArray k = w2.reshape(w2.getShape().get(0), c * 9, 1, 1);
            y = image.getNDArrayInternal().convolution(image, k, bias, UNIT, new Shape(0, 0), UNIT, 1)
                    .singletonOrThrow().transpose(0, 2, 3, 1).reshape(rows, w2.getShape().get(0));
            k.close();
        } else {
            y = cols.getNDArrayInternal().linear(cols, w2, bias).singletonOrThrow();
        }
        return y.reshape(b, h, w, w2.getShape().get(0)).transpose(0, 3, 1, 2);
    }

    public static void main(String[] args) {
        ToolOptions o = ToolOptions.parse(args);
        System.out.println("machine at start: " + MachineInfo.current().describe());
        System.out.println(EngineThreads.set(o.integer("threads", 0)));
        long b = o.integer("b", 2);
        long c = o.integer("c", 320);
        long out = o.integer("out", (int) c);
        long hw = o.integer("hw", 64);
        int rounds = o.integer("rounds", 10);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(b, c, hw, hw));
            NDArray xl = x.transpose(0, 2, 3, 1).duplicate().transpose(0, 3, 1, 2);
            NDArray w = manager.randomNormal(new Shape(out, c, 3, 3)).div(Math.sqrt(9.0 * c));
            NDArray bias = manager.zeros(new Shape(out));
            NDArray[] inputs = {x, xl, x, x, xl};
            NDArray wl = w.transpose(0, 2, 3, 1).duplicate().transpose(0, 3, 1, 2);
            int parts = o.integer("parts", 4);
            NDArray w2 = w.reshape(out, c * 9);
            double[][] wall = new double[5][rounds];
            float[][] first = new float[5][];
            for (int r = -1; r < rounds; r++) {
                for (int i = 0; i < 5; i++) {
                    try (NDManager scope = manager.newSubManager()) {
                        inputs[i].tempAttach(scope);
                        long t0 = System.nanoTime();
                        NDArray y = i == 4 ? inputs[i].getNDArrayInternal().convolution(inputs[i], wl, bias, UNIT,
                                new Shape(1, 1), UNIT, 1).singletonOrThrow() : i < 2 ? inputs[i].getNDArrayInternal().convolution(inputs[i], w, bias, UNIT,
                                new Shape(1, 1), UNIT, 1).singletonOrThrow() : unfolded(inputs[i], w2, bias, i == 3);
                        if (r >= 0) {
                            wall[i][r] = (System.nanoTime() - t0) / 1e9;
                        } else {
                            first[i] = y.toFloatArray();
                        }
                    }
                }
            }
            System.out.println("im2col vs conv " + Samples.difference(first[0], first[2]));
            System.out.println("im2col+1x1 vs conv " + Samples.difference(first[0], first[3]));
            System.out.println("split vs conv " + Samples.difference(first[0], first[4]));
            double flop = 2.0 * b * c * out * 9 * hw * hw;
            String[] names = {"NCHW", "channels-last", "im2col+linear", "im2col+1x1conv", "CL weights"};
            for (int i = 0; i < 5; i++) {
                double t = Samples.median(wall[i]);
                System.out.printf("[%d,%d,%d,%d]->%d %-14s median %.4f s (%.1f GFLOP/s)%n", b, c, hw, hw, out,
                        names[i], t, flop / t / 1e9);
            }
        }
    }
}
