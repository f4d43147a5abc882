package io.github.sdm.unet.djl.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.config.AutoencoderTinyConfig;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Intermediates;
import io.github.sdm.unet.djl.nn.Part;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * diffusers' {@code DecoderTiny}: the sequence {@code layers.N} of a 3x3 convolution from the latents and a
 * ReLU, then per level its {@link TinyBlock}s and, except for the last level, a nearest upsampling and a 3x3
 * convolution without bias; the last level ends with a 3x3 convolution with bias to the image channels.
 * The latents are first clamped softly, {@code tanh(x / 3) * 3}; the output is mapped from TAESD's
 * {@code [0, 1]} to {@code [-1, 1]}.
 */
public final class TinyDecoder extends Part {
    /** diffusers' soft clamp of the decoder's input: {@code tanh(x / 3) * 3}. */
    private static final float CLAMP = 3f;

    private final List<Part> layers = new ArrayList<>();

    public TinyDecoder(String name, AutoencoderTinyConfig config) {
        super(name);
        List<Integer> channels = config.decoderBlockOutChannels();
        layers.add(child(new Conv2d(layer(), config.latentChannels(), channels.get(0), 3, 1, 1)));
        layers.add(child(new TinyActivation(layer())));
        for (int level = 0; level < channels.size(); level++) {
            boolean last = level == channels.size() - 1;
            int width = channels.get(level);
            for (int b = 0; b < config.numDecoderBlocks().get(level); b++) {
                layers.add(child(new TinyBlock(layer(), width, width)));
            }
            if (!last) {
                layers.add(child(new TinyUpsample(layer(), config.upsamplingScalingFactor())));
            }
            layers.add(child(new Conv2d(layer(), width, last ? config.outChannels() : width, 3, 1, 1, last)));
        }
    }

    /** The name of the next layer of the sequence. */
    private String layer() {
        return key("layers." + layers.size());
    }

    public List<Part> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** Inputs: {@code latents [B, latent, h, w]}, raw. Output: {@code image [B, out, h*f, w*f]}, about [-1, 1]. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.head();
        NDArray scaled = x.div(CLAMP);
        NDArray h = Intermediates.advance(ctx, x, scaled, scaled.tanh());
        h = Intermediates.advance(ctx, x, h, h.mul(CLAMP));
        for (Part layer : layers) {
            h = Intermediates.advance(ctx, x, h, layer.forward(ctx, h));
        }
        NDArray doubled = h.mul(2);
        Intermediates.release(ctx, h, doubled);
        NDArray out = doubled.sub(1);
        Intermediates.release(ctx, doubled, out);
        return new NDList(out);
    }
}
