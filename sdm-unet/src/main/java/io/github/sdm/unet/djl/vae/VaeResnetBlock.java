package io.github.sdm.unet.djl.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.djl.nn.Activations;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.GroupNorm;
import io.github.sdm.unet.djl.nn.Intermediates;
import io.github.sdm.unet.djl.nn.Part;

/**
 * diffusers' {@code ResnetBlock2D} as the VAE uses it, without time embedding:
 * {@code norm1, silu, conv1, norm2, silu, conv2}, plus the input (through the 1x1 {@code conv_shortcut}
 * when the channel count changes). Output scale factor 1.
 */
public final class VaeResnetBlock extends Part {
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d convShortcut;

    public VaeResnetBlock(String name, int inChannels, int outChannels, int groups, double eps) {
        super(name);
        norm1 = child(new GroupNorm(key("norm1"), groups, inChannels, eps));
        conv1 = child(new Conv2d(key("conv1"), inChannels, outChannels, 3, 1, 1));
        norm2 = child(new GroupNorm(key("norm2"), groups, outChannels, eps));
        conv2 = child(new Conv2d(key("conv2"), outChannels, outChannels, 3, 1, 1));
        convShortcut = inChannels != outChannels
                ? child(new Conv2d(key("conv_shortcut"), inChannels, outChannels, 1, 1, 0)) : null;
    }

    /** Inputs: {@code x [B, in, H, W]}. Output: {@code [B, out, H, W]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.head();
        NDArray h = convolveActivated(ctx, norm1, conv1, x);
        NDArray h2 = convolveActivated(ctx, norm2, conv2, h);
        Intermediates.release(ctx, h, h2);
        NDArray shortcut = convShortcut != null ? convShortcut.forward(ctx, x) : x;
        NDArray out = shortcut.add(h2);
        Intermediates.release(ctx, h2, out);
        if (shortcut != x) {
            Intermediates.release(ctx, shortcut, out);
        }
        return new NDList(out);
    }

    /** {@code conv(silu(norm(x)))}, freeing each intermediate as soon as it is used. */
    private static NDArray convolveActivated(ForwardContext ctx, GroupNorm norm, Conv2d conv, NDArray x) {
        NDArray normed = norm.forward(ctx, x);
        NDArray activated = Activations.silu(normed);
        Intermediates.release(ctx, normed, x);
        NDArray out = conv.forward(ctx, activated);
        Intermediates.release(ctx, activated, out);
        return out;
    }
}
