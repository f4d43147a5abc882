package io.github.sdm.unet.djl.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Intermediates;
import io.github.sdm.unet.djl.nn.Part;

/**
 * diffusers' {@code AutoencoderTinyBlock}, TAESD's block: {@code relu(conv(x) + skip(x))}, where {@code conv}
 * is the sequence {@code conv.0}, ReLU, {@code conv.2}, ReLU, {@code conv.4} (3x3, with bias; the indices are
 * the sequence's, ReLUs included) and {@code skip} is a 1x1 convolution without bias when the channel count
 * changes, else the identity.
 */
public final class TinyBlock extends Part {
    private final Conv2d conv0;
    private final Conv2d conv2;
    private final Conv2d conv4;
    private final Conv2d skip;

    public TinyBlock(String name, int inChannels, int outChannels) {
        super(name);
        conv0 = child(new Conv2d(key("conv.0"), inChannels, outChannels, 3, 1, 1));
        conv2 = child(new Conv2d(key("conv.2"), outChannels, outChannels, 3, 1, 1));
        conv4 = child(new Conv2d(key("conv.4"), outChannels, outChannels, 3, 1, 1));
        skip = inChannels != outChannels ? child(new Conv2d(key("skip"), inChannels, outChannels, 1, 1, 0, false))
                : null;
    }

    /** Inputs: {@code x [B, in, H, W]}. Output: {@code [B, out, H, W]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.head();
        NDArray h = TinyActivation.relu(ctx, conv0.forward(ctx, x));
        h = Intermediates.advance(ctx, x, h, TinyActivation.relu(ctx, conv2.forward(ctx, h)));
        h = Intermediates.advance(ctx, x, h, conv4.forward(ctx, h));
        NDArray shortcut = skip != null ? skip.forward(ctx, x) : x;
        NDArray sum = h.add(shortcut);
        Intermediates.release(ctx, h, sum);
        if (shortcut != x) {
            Intermediates.release(ctx, shortcut, sum);
        }
        NDArray out = TinyActivation.relu(ctx, sum);
        return new NDList(out);
    }
}
