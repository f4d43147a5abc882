package io.github.sdm.unet.djl;

import io.github.sdm.core.model.Precision;
import io.github.sdm.unet.WeightPrecisionParitySuite;

/**
 * The reference cases with every convolution and linear weight held as int8 with one scale per output channel
 * (biases, norms and embeddings in float32), dequantized per layer and computed in float32. Each weight is off by up
 * to half its channel's step ({@code max|w| / 254}); on the tiny random networks that moves outputs by about 1% of
 * their peak. Stated bounds, with the maxima measured on tiny-sd-pipe: network outputs within 5e-2 of
 * {@code max(1, peak)} (measured 2.6e-2, the VAE decode), final latents within 3e-2 of {@code max(1, peak)} (measured
 * 1.5e-2), images within 0.1 (measured 4.5e-2).
 */
class DjlInt8WeightsParityTest extends WeightPrecisionParitySuite {
    DjlInt8WeightsParityTest() {
        super(Precision.INT8);
    }

    @Override
    protected String backendName() {
        return new DjlBackend().name();
    }
}
