package io.github.sdm.unet.nn;

import ai.djl.ndarray.NDArray;

/** Element-wise activations as PyTorch defines them. */
public final class Activations {
    private Activations() {
    }

    /** {@code x * sigmoid(x)}. */
    public static NDArray silu(NDArray x) {
        return x.mul(x.getNDArrayInternal().sigmoid());
    }

    /** Exact GELU, {@code x * (1 + erf(x / sqrt 2)) / 2} (PyTorch's default, not the tanh form). */
    public static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }

    /** CLIP's {@code x * sigmoid(1.702 x)}. */
    public static NDArray quickGelu(NDArray x) {
        return x.mul(x.mul(1.702f).getNDArrayInternal().sigmoid());
    }

    /** GEGLU's gating: the last dimension is split in halves {@code [h, g]}, result {@code h * gelu(g)}. */
    public static NDArray geglu(NDArray projected) {
        var halves = projected.split(2, projected.getShape().dimension() - 1);
        return halves.get(0).mul(gelu(halves.get(1)));
    }
}
