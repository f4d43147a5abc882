package io.github.sdm.unet.djl.unet;

import ai.djl.ndarray.NDList;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Part;

/** diffusers' {@code Downsample2D} with a convolution: {@code conv} 3x3, stride 2, padding 1. */
public final class Downsample2D extends Part {
    private final Conv2d conv;

    public Downsample2D(String name, int channels) {
        super(name);
        conv = child(new Conv2d(key("conv"), channels, channels, 3, 2, 1));
    }

    /** Inputs: {@code x [B, C, H, W]}. Output: {@code [B, C, ceil(H/2), ceil(W/2)]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        return new NDList(conv.forward(ctx, inputs.head()));
    }
}
