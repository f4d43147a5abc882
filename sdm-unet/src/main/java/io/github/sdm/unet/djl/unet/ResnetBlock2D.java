package io.github.sdm.unet.djl.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.djl.nn.Activations;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.EngineScalars;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.GroupNorm;
import io.github.sdm.unet.djl.nn.Intermediates;
import io.github.sdm.unet.djl.nn.Linear;
import io.github.sdm.unet.djl.nn.Part;

/**
 * diffusers' {@code ResnetBlock2D} (time embedding added, "default" scale-shift):
 * {@code norm1, silu, conv1, + time_emb_proj(silu(temb)), norm2, silu, conv2}, plus the input (through the
 * 1x1 {@code conv_shortcut} when the channel count changes), divided by the output scale factor.
 */
public final class ResnetBlock2D extends Part {
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final Linear timeEmbProj;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d convShortcut;
    private final double outputScaleFactor;

    /** Its convolutions come from {@code layers} ({@link UNetLayerFactory#resnetConv}). */
    public ResnetBlock2D(String name, int inChannels, int outChannels, ResnetSpec spec, UNetLayerFactory layers) {
        super(name);
        norm1 = child(new GroupNorm(key("norm1"), spec.groups(), inChannels, spec.eps()));
        conv1 = child(layers.resnetConv(key("conv1"), inChannels, outChannels, 3, 1));
        timeEmbProj = child(new Linear(key("time_emb_proj"), spec.tembChannels(), outChannels, true));
        norm2 = child(new GroupNorm(key("norm2"), spec.groups(), outChannels, spec.eps()));
        conv2 = child(layers.resnetConv(key("conv2"), outChannels, outChannels, 3, 1));
        convShortcut = inChannels != outChannels
                ? child(layers.resnetConv(key("conv_shortcut"), inChannels, outChannels, 1, 0)) : null;
        this.outputScaleFactor = spec.outputScaleFactor();
    }

    /**
     * @param x {@code [B, in, H, W]}
     * @param temb the time embedding {@code [B, T]}
     * @return {@code [B, out, H, W]}
     */
    public NDArray forward(ForwardContext ctx, NDArray x, NDArray temb) {
        return forward(ctx, new NDList(x, temb)).head();
    }

    /** Inputs: {@code x}, {@code temb}. Output: the block's output. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        return new NDList(compute(ctx, inputs.get(0), inputs.get(1)));
    }

    private NDArray compute(ForwardContext ctx, NDArray x, NDArray temb) {
        NDArray h = convolveActivated(ctx, norm1, conv1, x);
        NDArray t = timeEmbProj.forward(ctx, Activations.silu(temb));
        h = Intermediates.advance(ctx, x, h, h.add(t.reshape(t.getShape().get(0), t.getShape().get(1), 1, 1)));
        h = Intermediates.advance(ctx, x, h, convolveActivated(ctx, norm2, conv2, h));
        NDArray shortcut = convShortcut != null ? convShortcut.forward(ctx, x) : x;
        NDArray out = shortcut.add(h);
        Intermediates.advance(ctx, x, h, out);
        Intermediates.advance(ctx, x, shortcut, out);
        return outputScaleFactor == 1.0 ? out : EngineScalars.dividedBy(out, (float) outputScaleFactor);
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
