package io.github.sdm.unet.djl;

import ai.djl.ndarray.NDManager;
import io.github.sdm.core.spi.AutoencoderNetwork;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.vae.AutoencoderTiny;

/**
 * TAESD ({@code AutoencoderTiny}): images map straight to latents, so there is no distribution; the latent
 * channels, downscale and scaling factor are its own config's.
 */
final class DjlTinyAutoencoder implements AutoencoderNetwork {
    private final AutoencoderTiny model;
    private final NDManager manager;
    private final ForwardContext context;

    DjlTinyAutoencoder(AutoencoderTiny model, NDManager manager, ForwardContext context) {
        this.model = model;
        this.manager = manager;
        this.context = context;
    }

    @Override
    public FloatTensor encodeLatents(FloatTensor image) {
        return Tensors.call(manager, image, x -> model.encode(x, context));
    }

    @Override
    public FloatTensor decode(FloatTensor latents) {
        return Tensors.call(manager, latents, x -> model.decode(x, context));
    }

    @Override
    public int latentChannels() {
        return model.config().latentChannels();
    }

    @Override
    public int downscaleFactor() {
        return model.config().downscaleFactor();
    }

    @Override
    public float scalingFactor() {
        return (float) model.config().scalingFactor();
    }

    /** TAESD has no {@code shift_factor}. */
    @Override
    public float shiftFactor() {
        return 0f;
    }
}
