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
 * diffusers' {@code EncoderTiny}: the sequence {@code layers.N} of a 3x3 convolution (level 0: from the image,
 * with bias; later levels: stride 2, without bias), the level's {@link TinyBlock}s, and a last 3x3
 * convolution to the latent channels. The image is mapped from {@code [-1, 1]} to TAESD's {@code [0, 1]} first.
 */
public final class TinyEncoder extends Part {
    private final List<Part> layers = new ArrayList<>();

    public TinyEncoder(String name, AutoencoderTinyConfig config) {
        super(name);
        List<Integer> channels = config.encoderBlockOutChannels();
        for (int level = 0; level < channels.size(); level++) {
            int width = channels.get(level);
            layers.add(child(level == 0 ? new Conv2d(layer(), config.inChannels(), width, 3, 1, 1)
                    : new Conv2d(layer(), width, width, 3, 2, 1, false)));
            for (int b = 0; b < config.numEncoderBlocks().get(level); b++) {
                layers.add(child(new TinyBlock(layer(), width, width)));
            }
        }
        layers.add(child(new Conv2d(layer(), channels.get(channels.size() - 1), config.latentChannels(), 3, 1, 1)));
    }

    /** The name of the next layer of the sequence. */
    private String layer() {
        return key("layers." + layers.size());
    }

    public List<Part> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** Inputs: {@code image [B, in, H, W]} in {@code [-1, 1]}. Output: {@code latents [B, latent, H/f, W/f]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.head();
        NDArray shifted = x.add(1);
        NDArray h = shifted.div(2);
        Intermediates.release(ctx, shifted, h);
        for (Part layer : layers) {
            h = Intermediates.advance(ctx, x, h, layer.forward(ctx, h));
        }
        return new NDList(h);
    }
}
