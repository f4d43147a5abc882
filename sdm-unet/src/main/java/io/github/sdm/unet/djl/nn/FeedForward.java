package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDList;

/**
 * diffusers' {@code FeedForward} with the GEGLU activation of Stable Diffusion's transformer blocks:
 * {@code net.0} (GEGLU, {@code dim -> 4 dim}), dropout {@code net.1} (identity at inference),
 * {@code net.2} (Linear back to {@code dim}).
 */
public final class FeedForward extends Part {
    private final GegluProjection in;
    private final Linear out;

    public FeedForward(String name, long dim, int mult) {
        super(name);
        long inner = dim * mult;
        in = child(new GegluProjection(key("net.0"), dim, inner));
        out = child(new Linear(key("net.2"), inner, dim, true));
    }

    /** Inputs: {@code x [..., dim]}. Output: same shape. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        return new NDList(out.forward(ctx, in.forward(ctx, inputs.head())));
    }
}
