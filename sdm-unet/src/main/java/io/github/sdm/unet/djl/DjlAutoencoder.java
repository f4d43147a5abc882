package io.github.sdm.unet.djl;

import ai.djl.ndarray.NDManager;
import io.github.sdm.core.spi.AutoencoderNetwork;
import io.github.sdm.core.spi.LatentDistribution;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A KL autoencoder: deterministic latents are its distribution's mean. The model comes from {@code model} at each
 * call (it may be released between stages).
 */
final class DjlAutoencoder implements AutoencoderNetwork {
    private final Supplier<AutoencoderKL> model;
    private final AutoencoderKLConfig config;
    private final NDManager manager;
    private final ForwardContext context;

    DjlAutoencoder(Supplier<AutoencoderKL> model, AutoencoderKLConfig config, NDManager manager,
            ForwardContext context) {
        this.model = model;
        this.config = config;
        this.manager = manager;
        this.context = context;
    }

    @Override
    public FloatTensor encodeLatents(FloatTensor image) {
        return Tensors.call(manager, image, x -> model.get().encode(x, context).mean());
    }

    @Override
    public Optional<LatentDistribution> encodeDistribution(FloatTensor image) {
        try (NDManager call = manager.newSubManager()) {
            io.github.sdm.unet.djl.vae.LatentDistribution d = model.get().encode(Tensors.toArray(image, call), context);
            return Optional.of(new LatentDistribution(Tensors.toTensor(d.mean()), Tensors.toTensor(d.logvar())));
        }
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

    @Override
    public float shiftFactor() {
        return (float) config.shiftFactor();
    }
}
