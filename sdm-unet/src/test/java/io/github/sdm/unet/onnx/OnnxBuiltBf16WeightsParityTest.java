package io.github.sdm.unet.onnx;

import io.github.sdm.core.model.Precision;
import io.github.sdm.unet.WeightPrecisionParitySuite;

/**
 * The reference cases on the built graphs with every linear and convolution weight held in bfloat16 (8 significant
 * bits, against float16's 11) and computed in float32. The djl backend cannot hold bfloat16, so these bounds are this
 * test's own, about 8 times the float16 ones as the rounding is: network outputs within 2e-2 of {@code max(1, peak)}
 * (measured 8.7e-3, the VAE decode), final latents within 1e-2 of {@code max(1, peak)} (measured 4.6e-3), images
 * within 4e-2.
 */
class OnnxBuiltBf16WeightsParityTest extends WeightPrecisionParitySuite {
    OnnxBuiltBf16WeightsParityTest() {
        super(Precision.BF16);
    }

    @Override
    protected String backendName() {
        return new OnnxBackend().name();
    }
}
