package io.github.sdm.unet.djl.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Intermediates;
import io.github.sdm.unet.djl.nn.Part;

/** diffusers' {@code Upsample2D} with a conv: nearest-neighbour 2x, then a 3x3 {@code conv}. */
public final class VaeUpsample extends Part {
    /** The engine's interpolation mode code for {@code mode="nearest"}. */
    private static final int NEAREST = 0;
    private final Conv2d conv;

    public VaeUpsample(String name, int channels) {
        super(name);
        conv = child(new Conv2d(key("conv"), channels, channels, 3, 1, 1));
    }

    /** Inputs: {@code x [B, C, H, W]}. Output: {@code [B, C, 2H, 2W]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.head();
        long[] size = {2 * x.getShape().get(2), 2 * x.getShape().get(3)};
        NDArray doubled = JniUtils.interpolate((PtNDArray) x, size, NEAREST, false);
        NDArray out = conv.forward(ctx, doubled);
        Intermediates.release(ctx, doubled, out);
        return new NDList(out);
    }
}
