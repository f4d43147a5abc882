package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDList;

/** diffusers' {@code GEGLU}: {@code proj} to twice the width, then {@code h * gelu(gate)}. */
public final class GegluProjection extends Part {
    private final Linear proj;

    public GegluProjection(String name, long dimIn, long dimOut) {
        super(name);
        proj = child(new Linear(key("proj"), dimIn, 2 * dimOut, true));
    }

    /** Inputs: {@code x [..., dimIn]}. Output: {@code [..., dimOut]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        return new NDList(Activations.geglu(proj.forward(ctx, inputs.head())));
    }
}
