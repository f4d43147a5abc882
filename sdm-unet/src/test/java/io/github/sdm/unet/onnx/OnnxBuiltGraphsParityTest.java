package io.github.sdm.unet.onnx;

import io.github.sdm.core.testkit.BackendParitySuite;

/**
 * The backend-independent reference cases on the onnx backend with the graphs sdm builds from the tiny model's
 * diffusers folder (configs and safetensors weights, no export): every pipeline case, the text encoder and both
 * halves of the VAE, with the same tolerances as on djl.
 */
class OnnxBuiltGraphsParityTest extends BackendParitySuite {
    @Override
    protected String backendName() {
        return new OnnxBackend().name();
    }
}
