package io.github.sdm.core.spi;

import io.github.sdm.core.tensor.FloatTensor;

/** The diagonal Gaussian the VAE encoder outputs. */
public record LatentDistribution(FloatTensor mean, FloatTensor logVariance) {
}
