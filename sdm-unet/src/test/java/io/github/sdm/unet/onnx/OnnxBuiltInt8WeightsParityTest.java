package io.github.sdm.unet.onnx;

import io.github.sdm.core.model.Precision;
import io.github.sdm.unet.WeightPrecisionParitySuite;

/**
 * The reference cases on the built graphs with every linear and convolution weight held as int8 with one float32 scale
 * per output channel ({@code max|w[o]| / 127}, as the djl backend quantizes), dequantized by {@code DequantizeLinear}
 * and computed in float32, within the bounds of the djl backend's int8 parity ({@code DjlInt8WeightsParityTest}):
 * network outputs within 5e-2 of {@code max(1, peak)} (measured 2.6e-2, the VAE decode), final latents within 3e-2 of
 * {@code max(1, peak)} (measured 1.5e-2), images within 0.1.
 */
class OnnxBuiltInt8WeightsParityTest extends WeightPrecisionParitySuite {
    OnnxBuiltInt8WeightsParityTest() {
        super(Precision.INT8);
    }

    @Override
    protected String backendName() {
        return new OnnxBackend().name();
    }
}
