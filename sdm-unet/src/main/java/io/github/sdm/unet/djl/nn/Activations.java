package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;

/**
 * Element-wise activations as PyTorch defines them.
 *
 * <p>Each computes into the fewest new arrays by multiplying in place into its own temporary, except while
 * autograd records (a training pass): the backward pass then needs the temporary's original values, so
 * the product is a new array.
 */
public final class Activations {
    private Activations() {
    }

    /**
     * {@code x * sigmoid(x)}, in one new array (the sigmoid, multiplied in place) instead of two: every
     * fresh large array costs page faults as well as memory. Multiplication commutes exactly, so the
     * values are those of {@code x.mul(sigmoid(x))}.
     */
    public static NDArray silu(NDArray x) {
        NDArray out = x.getNDArrayInternal().sigmoid();
        return multiply(out, x);
    }

    /** Exact GELU, {@code x * (1 + erf(x / sqrt 2)) / 2} (PyTorch's default, not the tanh form). */
    public static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }

    /** CLIP's {@code x * sigmoid(1.702 x)}, computed in place in its one temporary. */
    public static NDArray quickGelu(NDArray x) {
        NDArray out = EngineScalars.times(x, 1.702f);
        NDArray gate = out.getNDArrayInternal().sigmoid();
        out.close();
        return multiply(gate, x);
    }

    /**
     * GEGLU's gating: the last dimension is split in halves {@code [h, g]}, result {@code h * gelu(g)},
     * multiplied in place into the new {@code gelu(g)}.
     */
    public static NDArray geglu(NDArray projected) {
        var halves = projected.split(2, projected.getShape().dimension() - 1);
        NDArray out = multiply(gelu(halves.get(1)), halves.get(0));
        halves.close();
        return out;
    }

    /** {@code temporary * x}: in place into {@code temporary} unless autograd records. */
    private static NDArray multiply(NDArray temporary, NDArray x) {
        if (GradMode.isRecording()) {
            NDArray product = temporary.mul(x);
            temporary.close();
            return product;
        }
        return temporary.muli(x);
    }
}
