package io.github.sdm.bench.perf;

import io.github.sdm.bench.djl.FlopCount;

/**
 * Floating-point operations of some work, split in two because they run at very different speeds:
 * {@code matmul} counts the multiply-adds of convolutions, linear layers and the two products of
 * attention (2 per multiply-add), the work a matmul ceiling applies to; {@code elementwise} counts the
 * normalisations and the softmax (memory-bound, see {@link FlopCount} for the per-element conventions).
 */
public record Flops(long matmul, long elementwise) {
    public static final Flops ZERO = new Flops(0, 0);

    public Flops {
        if (matmul < 0 || elementwise < 0) {
            throw new IllegalArgumentException("negative FLOP count: " + matmul + ", " + elementwise);
        }
    }

    public static Flops matmul(long count) {
        return new Flops(count, 0);
    }

    public static Flops elementwise(long count) {
        return new Flops(0, count);
    }

    public long total() {
        return Math.addExact(matmul, elementwise);
    }

    public Flops plus(Flops other) {
        return new Flops(Math.addExact(matmul, other.matmul), Math.addExact(elementwise, other.elementwise));
    }
}
