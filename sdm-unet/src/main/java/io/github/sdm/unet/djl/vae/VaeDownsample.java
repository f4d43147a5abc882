package io.github.sdm.unet.djl.vae;

import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Part;

/**
 * diffusers' {@code Downsample2D} with {@code padding=0}, as in the VAE encoder: the input is zero-padded by
 * one on the right and bottom only, then a 3x3 stride-2 {@code conv} halves the size (rounding down).
 */
public final class VaeDownsample extends Part {
    /** {@code F.pad} order: (left, right, top, bottom). */
    private static final long[] RIGHT_BOTTOM = {0, 1, 0, 1};
    private final Conv2d conv;

    public VaeDownsample(String name, int channels) {
        super(name);
        conv = child(new Conv2d(key("conv"), channels, channels, 3, 2, 0));
    }

    /** Inputs: {@code x [B, C, H, W]}. Output: {@code [B, C, floor(H/2), floor(W/2)]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        PtNDArray x = (PtNDArray) inputs.head();
        return new NDList(conv.forward(ctx, JniUtils.pad(x, RIGHT_BOTTOM, 0.0)));
    }
}
