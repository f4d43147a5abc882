package io.github.sdm.unet.djl.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Intermediates;
import io.github.sdm.unet.djl.nn.Part;

/**
 * diffusers' {@code UNetMidBlock2D} as the VAE uses it: {@code resnets.0}, {@code attentions.0} (unless
 * {@code mid_block_add_attention} is false), {@code resnets.1}; channel count unchanged.
 */
public final class VaeMidBlock extends Part {
    private final VaeResnetBlock resnet0;
    private final VaeAttention attention;
    private final VaeResnetBlock resnet1;

    public VaeMidBlock(String name, int channels, int groups, double eps, boolean withAttention) {
        super(name);
        resnet0 = child(new VaeResnetBlock(key("resnets.0"), channels, channels, groups, eps));
        attention = withAttention ? child(new VaeAttention(key("attentions.0"), channels, groups, eps)) : null;
        resnet1 = child(new VaeResnetBlock(key("resnets.1"), channels, channels, groups, eps));
    }

    /** Inputs: {@code x [B, C, H, W]}. Output: same shape. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.head();
        NDArray h = resnet0.forward(ctx, x);
        if (attention != null) {
            h = Intermediates.advance(ctx, x, h, attention.forward(ctx, h));
        }
        return new NDList(resnet1.forward(ctx, h));
    }
}
