package io.github.sdm.core;

import io.github.sdm.core.tensor.FloatTensor;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * What a generation produced.
 *
 * @param images one image per batch entry
 * @param seed the seed used (drawn when the request gave none)
 * @param timesteps the timesteps the UNet was called at, in order
 * @param finalLatents the denoised latents before VAE decoding, {@code [batch, 4, h, w]}
 * @param decoded the decoded images as {@code [batch, 3, H, W]} in [0, 1], before 8-bit rounding
 * @param timings the wall-clock time of each stage
 * @param request the request that ran
 */
public record GenerationResult(List<BufferedImage> images, long seed, double[] timesteps, FloatTensor finalLatents,
        FloatTensor decoded, StageTimings timings, GenerationRequest request) {
}
