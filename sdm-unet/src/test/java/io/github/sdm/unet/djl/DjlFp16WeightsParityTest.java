package io.github.sdm.unet.djl;

import io.github.sdm.core.model.Precision;
import io.github.sdm.unet.WeightPrecisionParitySuite;

/**
 * The reference cases with every weight held in float16 and computed in float32 (each layer's weights widened just
 * before use): the only difference from the float32 run is the rounding of each weight to 11 significant bits
 * (relative 4.9e-4 at most), which the networks compound. Stated bounds, with the maxima measured on tiny-sd-pipe:
 * network outputs within 2e-3 of {@code max(1, peak)} (measured 1.25e-3, the VAE decode), final latents within 2e-3 of
 * {@code max(1, peak)} (measured 1.14e-3; the latents' peaks reach 73), images within 5e-3 (measured 2.8e-3).
 */
class DjlFp16WeightsParityTest extends WeightPrecisionParitySuite {
    DjlFp16WeightsParityTest() {
        super(Precision.FP16);
    }

    @Override
    protected String backendName() {
        return new DjlBackend().name();
    }
}
