package io.github.sdm.core.spi;

import io.github.sdm.core.tensor.FloatTensor;

/** The VAE between images in [-1, 1] and unscaled latents. */
public interface AutoencoderNetwork {

    /** Encodes {@code [batch, 3, H, W]} in [-1, 1] to the latent distribution's mean and log-variance. */
    LatentDistribution encode(FloatTensor image);

    /** Decodes unscaled latents ({@code latents / scalingFactor}) to {@code [batch, 3, 8h, 8w]} in about [-1, 1]. */
    FloatTensor decode(FloatTensor latents);

    /** {@code scaling_factor} from the VAE config (0.18215 for SD 1.x). */
    float scalingFactor();
}
