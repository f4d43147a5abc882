package io.github.sdm.unet.onnx;

import io.github.sdm.core.testkit.BackendParitySuite;
import java.nio.file.Path;

/**
 * The backend-independent reference cases on the onnx backend, with optimum's export of the tiny model. Its UNet
 * takes an int64 timestep; the Euler cases (fractional timesteps) pass because the load declares it float
 * ({@link TimestepWidening}): cast to int64 as diffusers' ONNX pipeline does, they missed the references by 2e-2.
 */
class OnnxOptimumParityTest extends BackendParitySuite {
    @Override
    protected String backendName() {
        return new OnnxBackend().name();
    }

    @Override
    protected Path modelFolder() {
        return OnnxExports.optimum();
    }
}
