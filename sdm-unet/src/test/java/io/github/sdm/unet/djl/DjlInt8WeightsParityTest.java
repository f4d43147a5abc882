package io.github.sdm.unet.djl;

import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.testkit.BackendParitySuite;
import io.github.sdm.core.testkit.Tolerance;

/**
 * The reference cases with every convolution and linear weight held as int8 with one scale per output channel
 * (biases, norms and embeddings in float32), dequantized per layer and computed in float32. Each weight is off by up
 * to half its channel's step ({@code max|w| / 254}); on the tiny random networks that moves outputs by about 1% of
 * their peak. Stated bounds, with the maxima measured on tiny-sd-pipe: network outputs within 5e-2 of
 * {@code max(1, peak)} (measured 2.6e-2, the VAE decode), final latents within 3e-2 of {@code max(1, peak)} (measured
 * 1.5e-2), images within 0.1 (measured 4.5e-2).
 */
class DjlInt8WeightsParityTest extends BackendParitySuite {
    @Override
    protected String backendName() {
        return new DjlBackend().name();
    }

    @Override
    protected LoadOptions loadOptions() {
        return super.loadOptions().withWeightPrecision(Precision.INT8).withComputePrecision(Precision.FP32);
    }

    @Override
    protected Tolerance networkTolerance() {
        return Tolerance.ofPeakAtLeastOne(5e-2);
    }

    @Override
    protected Tolerance latentTolerance() {
        return Tolerance.ofPeakAtLeastOne(3e-2);
    }

    @Override
    protected Tolerance imageTolerance() {
        return Tolerance.absolute(0.1);
    }
}
