package io.github.sdm.bench.djl.routes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.bench.djl.EngineThreads;
import io.github.sdm.bench.perf.Samples;
import io.github.sdm.bench.perf.ToolOptions;
import io.github.sdm.bench.report.MachineInfo;
import java.util.function.Supplier;

/**
 * The engine's CPU kernels in float32 and float16 on shapes of an SD 1.5 UNet call at 256x256 (batch 2): a 3x3
 * convolution of 320 channels at 32x32, a batched attention product of 1024 tokens, a linear layer of 2048 rows to
 * 1280 features; and what a layer pays per call
 * for weights held in another type: widening a float16 weight and dequantizing an int8 one (1280x1280x3x3).
 *
 * <pre>
 * scripts/sdm bench tool half-kernels rounds=3
 * </pre>
 *
 * <p>{@code c=} (channels, 320) and {@code hw=} (side, 32) scale the convolution, the product and the linear layer
 * down for a quick check; the weight conversions stay at SD 1.5's largest convolution.
 */
public final class HalfKernelsBench {
    private static final Shape UNIT = new Shape(1, 1);

    private HalfKernelsBench() {
    }

    public static void main(String[] args) {
        ToolOptions o = ToolOptions.parse(args);
        System.out.println("machine at start: " + MachineInfo.current().describe());
        System.out.println(EngineThreads.set(o.integer("threads", 0)));
        int rounds = o.integer("rounds", 3);
        int c = o.integer("c", 320);
        int hw = o.integer("hw", 32);
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(0);
            NDArray x = manager.randomNormal(new Shape(2, c, hw, hw));
            NDArray w = manager.randomNormal(new Shape(c, c, 3, 3));
            NDArray q = manager.randomNormal(new Shape(16, hw * hw, 40));
            NDArray rows = manager.randomNormal(new Shape(2L * hw * hw, c));
            NDArray lw = manager.randomNormal(new Shape(4L * c, c));
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT16}) {
                NDArray xt = x.toType(type, false);
                NDArray wt = w.toType(type, false);
                NDArray qt = q.toType(type, false);
                NDArray kt = qt.transpose(0, 2, 1);
                NDArray rt = rows.toType(type, false);
                NDArray lt = lw.toType(type, false);
                report(type + " conv 3x3 " + xt.getShape() + " -> " + c, rounds, () -> xt.getNDArrayInternal()
                        .convolution(xt, wt, null, UNIT, UNIT, UNIT, 1).singletonOrThrow());
                report(type + " batched matmul " + qt.getShape() + " x " + kt.getShape(), rounds, () -> qt.matMul(kt));
                report(type + " linear " + rt.getShape() + " -> " + 4 * c, rounds,
                        () -> rt.getNDArrayInternal().linear(rt, lt, null).singletonOrThrow());
            }
            NDArray big = manager.randomNormal(new Shape(1280, 1280, 3, 3));
            NDArray half = big.toType(DataType.FLOAT16, false);
            NDArray codes = big.mul(40).clip(-127, 127).toType(DataType.INT8, false);
            NDArray scales = manager.randomUniform(0.001f, 0.01f, new Shape(1280, 1, 1, 1));
            report("widen a float16 weight [1280,1280,3,3] to float32", rounds,
                    () -> half.toType(DataType.FLOAT32, false));
            report("dequantize an int8 weight [1280,1280,3,3] to float32", rounds, () -> {
                NDArray wide = codes.toType(DataType.FLOAT32, false);
                return wide.muli(scales);
            });
        }
    }

    private static void report(String what, int rounds, Supplier<NDArray> op) {
        op.get().close(); // warm-up
        double[] seconds = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            op.get().close();
            seconds[r] = (System.nanoTime() - start) / 1e9;
        }
        System.out.printf("%s: median %.4f s (min %.4f, max %.4f)%n", what, Samples.median(seconds),
                Samples.min(seconds), Samples.max(seconds));
    }
}
