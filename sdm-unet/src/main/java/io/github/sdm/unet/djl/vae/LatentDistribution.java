package io.github.sdm.unet.djl.vae;

import ai.djl.ndarray.NDArray;
import io.github.sdm.unet.djl.nn.EngineScalars;

/**
 * diffusers' {@code DiagonalGaussianDistribution}: what the VAE encoder says about an image's latents.
 *
 * @param mean {@code [B, latent, h, w]}, the distribution's mode
 * @param logvar same shape, already clamped to {@code [-30, 20]} as diffusers does
 */
public record LatentDistribution(NDArray mean, NDArray logvar) {

    /** {@code exp(logvar / 2)}. */
    public NDArray std() {
        return EngineScalars.times(logvar, 0.5f).exp();
    }

    /** {@code mean + std * noise}, with {@code noise} standard normal of the same shape (the caller's draw). */
    public NDArray sample(NDArray noise) {
        return std().mul(noise).add(mean);
    }
}
