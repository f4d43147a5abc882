package io.github.sdm.bench.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.bench.perf.Durations;
import java.util.ArrayList;
import java.util.List;

/**
 * The float32 matrix-product throughput the engine reaches on this machine: the practical ceiling for
 * the convolutions and linear layers that make up nearly all of a UNet's work.
 */
public final class MatmulCeiling {
    /** The shapes measured by default: a square product, and the width of SD's big linear layers. */
    public static final List<MatmulShape> DEFAULT_SHAPES = List.of(
            new MatmulShape(1, 2048, 2048, 2048),
            new MatmulShape(1, 4096, 1024, 4096),
            new MatmulShape(16, 4096, 40, 4096));

    private MatmulCeiling() {
    }

    /**
     * A product {@code [batch, m, k] x [batch, k, n]} (batch 1: a plain 2-D product).
     * {@code 16 x 4096 x 40 x 4096} is SD 1.5's first self-attention score product at 512x512, batch 2.
     */
    public record MatmulShape(int batch, int m, int k, int n) {
        public long flops() {
            return 2L * batch * m * k * n;
        }

        @Override
        public String toString() {
            return (batch == 1 ? "" : batch + " x ") + m + "x" + k + " * " + k + "x" + n;
        }
    }

    /** One shape's timings. */
    public record Measurement(MatmulShape shape, Durations times) {
        /** GFLOP/s at the median time. */
        public double gflops() {
            return shape.flops() / (double) times.median().toNanos();
        }
    }

    /** Times {@code runs} products of {@code shape} after {@code warmup} unmeasured ones. */
    /** Every default shape, each measured {@code runs} times after {@code warmup} runs, on its own arrays. */
    public static List<Measurement> measureDefaultShapes(int warmup, int runs) {
        List<Measurement> measured = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (MatmulShape shape : DEFAULT_SHAPES) {
                measured.add(measure(manager, shape, warmup, runs));
            }
        }
        return measured;
    }

    public static Measurement measure(NDManager manager, MatmulShape shape, int warmup, int runs) {
        if (runs < 1 || warmup < 0) {
            throw new IllegalArgumentException("need runs >= 1 and warmup >= 0, got " + runs + ", " + warmup);
        }
        try (NDManager scope = manager.newSubManager()) {
            Shape a = shape.batch() == 1 ? new Shape(shape.m(), shape.k()) : new Shape(shape.batch(), shape.m(), shape.k());
            Shape b = shape.batch() == 1 ? new Shape(shape.k(), shape.n()) : new Shape(shape.batch(), shape.k(), shape.n());
            NDArray left = scope.randomNormal(a);
            NDArray right = scope.randomNormal(b);
            List<Long> nanos = new ArrayList<>();
            for (int i = 0; i < warmup + runs; i++) {
                long start = System.nanoTime();
                NDArray product = left.matMul(right);
                long elapsed = System.nanoTime() - start;
                product.close();
                if (i >= warmup) {
                    nanos.add(elapsed);
                }
            }
            return new Measurement(shape, Durations.ofNanos(nanos));
        }
    }
}
