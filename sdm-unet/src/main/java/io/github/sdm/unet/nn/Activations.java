package io.github.sdm.unet.nn;

import ai.djl.ndarray.NDArray;

/** Element-wise activations as PyTorch defines them. */
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
        out.muli(x);
        return out;
    }

    /** Exact GELU, {@code x * (1 + erf(x / sqrt 2)) / 2} (PyTorch's default, not the tanh form). */
    public static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }

    /** CLIP's {@code x * sigmoid(1.702 x)}, computed in place in its one temporary. */
    public static NDArray quickGelu(NDArray x) {
        NDArray out = x.mul(1.702f);
        NDArray gate = out.getNDArrayInternal().sigmoid();
        out.close();
        gate.muli(x);
        return gate;
    }

    /**
     * GEGLU's gating: the last dimension is split in halves {@code [h, g]}, result {@code h * gelu(g)},
     * multiplied in place into the new {@code gelu(g)}.
     */
    public static NDArray geglu(NDArray projected) {
        var halves = projected.split(2, projected.getShape().dimension() - 1);
        NDArray out = gelu(halves.get(1));
        out.muli(halves.get(0));
        halves.close();
        return out;
    }
}
