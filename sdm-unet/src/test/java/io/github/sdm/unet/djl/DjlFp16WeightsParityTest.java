package io.github.sdm.unet.djl;

import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.testkit.BackendParitySuite;
import io.github.sdm.core.testkit.Tolerance;

/**
 * The reference cases with every weight held in float16 and computed in float32 (each layer's weights widened just
 * before use): the only difference from the float32 run is the rounding of each weight to 11 significant bits
 * (relative 4.9e-4 at most), which the networks compound. Stated bounds, with the maxima measured on tiny-sd-pipe:
 * network outputs within 2e-3 of {@code max(1, peak)} (measured 1.25e-3, the VAE decode), final latents within 2e-3 of
 * {@code max(1, peak)} (measured 1.14e-3; the latents' peaks reach 73), images within 5e-3 (measured 2.8e-3).
 */
class DjlFp16WeightsParityTest extends BackendParitySuite {
    @Override
    protected String backendName() {
        return new DjlBackend().name();
    }

    @Override
    protected LoadOptions loadOptions() {
        return super.loadOptions().withWeightPrecision(Precision.FP16).withComputePrecision(Precision.FP32);
    }

    @Override
    protected Tolerance networkTolerance() {
        return Tolerance.ofPeakAtLeastOne(2e-3);
    }

    @Override
    protected Tolerance latentTolerance() {
        return Tolerance.ofPeakAtLeastOne(2e-3);
    }

    @Override
    protected Tolerance imageTolerance() {
        return Tolerance.absolute(5e-3);
    }
}
