package io.github.sdm.unet.djl;

import ai.djl.ndarray.NDManager;
import io.github.sdm.core.spi.AutoencoderNetwork;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.unet.config.AutoencoderTinyConfig;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.vae.AutoencoderTiny;
import java.util.function.Supplier;

/**
 * TAESD ({@code AutoencoderTiny}): images map straight to latents, so there is no distribution; the latent
 * channels, downscale and scaling factor are its own config's. The model comes from {@code model} at each call
 * (it may be released between stages).
 */
final class DjlTinyAutoencoder implements AutoencoderNetwork {
    private final Supplier<AutoencoderTiny> model;
    private final AutoencoderTinyConfig config;
    private final NDManager manager;
    private final ForwardContext context;

    DjlTinyAutoencoder(Supplier<AutoencoderTiny> model, AutoencoderTinyConfig config, NDManager manager,
            ForwardContext context) {
        this.model = model;
        this.config = config;
        this.manager = manager;
        this.context = context;
    }

    @Override
    public FloatTensor encodeLatents(FloatTensor image) {
        return Tensors.call(manager, image, x -> model.get().encode(x, context));
    }

    @Override
    public FloatTensor decode(FloatTensor latents) {
        return Tensors.call(manager, latents, x -> model.get().decode(x, context));
    }

    @Override
    public int latentChannels() {
        return config.latentChannels();
    }

    @Override
    public int downscaleFactor() {
        return config.downscaleFactor();
    }

    @Override
    public float scalingFactor() {
        return (float) config.scalingFactor();
    }

    /** TAESD has no {@code shift_factor}. */
    @Override
    public float shiftFactor() {
        return 0f;
    }
}
