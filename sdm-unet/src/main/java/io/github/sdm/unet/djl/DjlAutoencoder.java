package io.github.sdm.unet.djl;

import ai.djl.ndarray.NDManager;
import io.github.sdm.core.spi.AutoencoderNetwork;
import io.github.sdm.core.spi.LatentDistribution;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import java.util.Optional;

/** A KL autoencoder: deterministic latents are its distribution's mean. */
final class DjlAutoencoder implements AutoencoderNetwork {
    private final AutoencoderKL model;
    private final NDManager manager;
    private final ForwardContext context;

    DjlAutoencoder(AutoencoderKL model, NDManager manager, ForwardContext context) {
        this.model = model;
        this.manager = manager;
        this.context = context;
    }

    @Override
    public FloatTensor encodeLatents(FloatTensor image) {
        return Tensors.call(manager, image, x -> model.encode(x, context).mean());
    }

    @Override
    public Optional<LatentDistribution> encodeDistribution(FloatTensor image) {
        try (NDManager call = manager.newSubManager()) {
            io.github.sdm.unet.djl.vae.LatentDistribution d = model.encode(Tensors.toArray(image, call), context);
            return Optional.of(new LatentDistribution(Tensors.toTensor(d.mean()), Tensors.toTensor(d.logvar())));
        }
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

    @Override
    public float shiftFactor() {
        return (float) model.config().shiftFactor();
    }
}
