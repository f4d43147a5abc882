package io.github.sdm.unet.onnx;

import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.testkit.BackendParitySuite;
import io.github.sdm.core.testkit.Tolerance;

/**
 * The reference cases on the built graphs with every linear and convolution weight held in bfloat16 (8 significant
 * bits, against float16's 11) and computed in float32. The djl backend cannot hold bfloat16, so these bounds are this
 * test's own, about 8 times the float16 ones as the rounding is: network outputs within 2e-2 of {@code max(1, peak)}
 * (measured 8.7e-3, the VAE decode), final latents within 1e-2 of {@code max(1, peak)} (measured 4.6e-3), images
 * within 4e-2.
 */
class OnnxBuiltBf16WeightsParityTest extends BackendParitySuite {
    @Override
    protected String backendName() {
        return new OnnxBackend().name();
    }

    @Override
    protected LoadOptions loadOptions() {
        return super.loadOptions().withWeightPrecision(Precision.BF16);
    }

    @Override
    protected Tolerance networkTolerance() {
        return Tolerance.ofPeakAtLeastOne(2e-2);
    }

    @Override
    protected Tolerance latentTolerance() {
        return Tolerance.ofPeakAtLeastOne(1e-2);
    }

    @Override
    protected Tolerance imageTolerance() {
        return Tolerance.absolute(4e-2);
    }
}
