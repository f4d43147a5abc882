package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a Java number, the number held in memory the engine owns.
 *
 * <p>DJL's {@code array.mul(number)} (and {@code div}, {@code create(number)}, {@code create(long[])}...)
 * wraps a direct buffer of the Java value with {@code torch::from_blob}, without copying, and closes that
 * array as soon as the op returns; closing drops the buffer, which the next garbage collection frees. The
 * autograd graph keeps the wrapped tensor (a product saves its factor for the backward pass), so a backward
 * pass after a collection read freed memory: glibc writes its free-list pointers there, and the gradients
 * came out scaled by garbage (wrong, infinite or NaN). Hence every constant a training pass may save for
 * its backward pass is made by the engine ({@code torch::full}); the values are the same, bit for bit.
 */
public final class EngineScalars {
    private EngineScalars() {
    }

    /** {@code x * factor}, in {@code x}'s manager. */
    public static NDArray times(NDArray x, float factor) {
        try (NDArray constant = constant(x, factor)) {
            return x.mul(constant);
        }
    }

    /** {@code x / divisor}, in {@code x}'s manager. */
    public static NDArray dividedBy(NDArray x, float divisor) {
        try (NDArray constant = constant(x, divisor)) {
            return x.div(constant);
        }
    }

    /**
     * An engine-owned copy of {@code created}, an array made from Java data, which is closed: for an array
     * (indices, say) that the autograd graph may keep beyond the part that made it.
     */
    public static NDArray owned(NDArray created) {
        NDArray copy = created.duplicate();
        created.close();
        return copy;
    }

    /** A scalar float32 array, as {@code manager.create(value)} makes it, in engine-owned memory. */
    private static NDArray constant(NDArray x, float value) {
        return x.getManager().full(new Shape(), value, DataType.FLOAT32);
    }
}
