package io.github.sdm.unet.djl.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Intermediates;
import io.github.sdm.unet.djl.nn.Part;

/**
 * TAESD's ReLU where diffusers' sequence has it as a layer of its own ({@code decoder.layers.1}), so the part
 * tree keeps the sequence's indices; {@link #relu} is the same function for the ReLUs inside a block.
 */
public final class TinyActivation extends Part {

    public TinyActivation(String name) {
        super(name);
    }

    /** {@code max(x, 0)}, freeing {@code x} when the current scope owns it (it is used up). */
    static NDArray relu(ForwardContext ctx, NDArray x) {
        NDArray out = x.getNDArrayInternal().relu();
        Intermediates.release(ctx, x, out);
        return out;
    }

    /** Inputs: {@code x}. Output: {@code relu(x)}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        return new NDList(inputs.head().getNDArrayInternal().relu());
    }

    @Override
    protected boolean scopesTemporaries() {
        return false;
    }
}
