package io.github.sdm.unet.djl.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Part;

/** PyTorch's {@code nn.Upsample(scale_factor=f)} in TAESD's decoder: nearest neighbour, no parameters. */
public final class TinyUpsample extends Part {
    /** The engine's interpolation mode code for {@code mode="nearest"}. */
    private static final int NEAREST = 0;
    private final int factor;

    public TinyUpsample(String name, int factor) {
        super(name);
        this.factor = factor;
    }

    /** Inputs: {@code x [B, C, H, W]}. Output: {@code [B, C, fH, fW]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.head();
        long[] size = {factor * x.getShape().get(2), factor * x.getShape().get(3)};
        return new NDList(JniUtils.interpolate((PtNDArray) x, size, NEAREST, false));
    }

    @Override
    protected boolean scopesTemporaries() {
        return false;
    }
}
