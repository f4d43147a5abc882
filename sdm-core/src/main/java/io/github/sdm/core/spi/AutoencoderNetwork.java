package io.github.sdm.core.spi;

import io.github.sdm.core.tensor.FloatTensor;
import java.util.Optional;

/**
 * The VAE between images in [-1, 1] and unscaled latents. The pipeline applies {@link #scalingFactor()} and
 * {@link #shiftFactor()}: {@code (latents - shift) * scale} after encoding, {@code latents / scale + shift}
 * before decoding.
 */
public interface AutoencoderNetwork {

    /**
     * Deterministic latents of {@code [batch, 3, H, W]} in [-1, 1]: {@code [batch, latentChannels,
     * H / downscaleFactor, W / downscaleFactor]}, unscaled. A KL autoencoder gives its distribution's mean.
     *
     * @param image {@code [batch, 3, H, W]} in [-1, 1], H and W multiples of {@link #downscaleFactor()}
     * @return the unscaled latents
     */
    FloatTensor encodeLatents(FloatTensor image);

    /**
     * The latent distribution, for autoencoders that have one (a KL VAE); empty for those that map images
     * straight to latents (ONNX encoder exports, TAESD).
     *
     * @param image {@code [batch, 3, H, W]} in [-1, 1]
     * @return the distribution of the unscaled latents, or empty
     */
    default Optional<LatentDistribution> encodeDistribution(FloatTensor image) {
        return Optional.empty();
    }

    /**
     * Decodes unscaled latents to {@code [batch, 3, h * downscaleFactor, w * downscaleFactor]} in about [-1, 1].
     *
     * @param latents {@code [batch, latentChannels, h, w]}, unscaled (the pipeline has undone the scaling)
     * @return the images, not clamped
     */
    FloatTensor decode(FloatTensor latents);

    /**
     * Channels of the latents (4 for SD 1.x and 2.x).
     *
     * @return the latent channel count
     */
    int latentChannels();

    /**
     * How many pixels one latent covers per side: {@code 2^(levels - 1)}, 8 for SD 1.x and 2.x.
     *
     * @return the factor between image and latent sides
     */
    int downscaleFactor();

    /**
     * {@code scaling_factor} from the VAE config (0.18215 for SD 1.x).
     *
     * @return the latent scale
     */
    float scalingFactor();

    /**
     * {@code shift_factor} from the VAE config; 0 when it has none (SD 1.x and 2.x).
     *
     * @return the latent shift
     */
    float shiftFactor();
}
