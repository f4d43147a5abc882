package io.github.sdm.core.spi;

import io.github.sdm.core.tensor.FloatTensor;

/**
 * The diagonal Gaussian the VAE encoder outputs.
 *
 * @param mean the unscaled latents' mean, {@code [batch, latentChannels, h, w]}
 * @param logVariance the log of each latent's variance, shaped like {@code mean}
 */
public record LatentDistribution(FloatTensor mean, FloatTensor logVariance) {
}
