package io.github.sdm.unet.onnx;

import io.github.sdm.core.model.Precision;
import io.github.sdm.unet.WeightPrecisionParitySuite;

/**
 * The reference cases on the built graphs with every linear and convolution weight held in float16 and computed in
 * float32 (a {@code Cast} before each use), within the bounds the djl backend's float16-weight parity states
 * ({@code DjlFp16WeightsParityTest}): network outputs within 2e-3 of {@code max(1, peak)}, final latents within 2e-3 of
 * {@code max(1, peak)}, images within 5e-3. Measured on tiny-sd-pipe: network outputs 1.0e-3 (the VAE decode), final
 * latents 3.7e-4.
 */
class OnnxBuiltFp16WeightsParityTest extends WeightPrecisionParitySuite {
    OnnxBuiltFp16WeightsParityTest() {
        super(Precision.FP16);
    }

    @Override
    protected String backendName() {
        return new OnnxBackend().name();
    }
}
