package io.github.sdm.cuda.onnx;

import io.github.sdm.core.testkit.BackendParitySuite;
import io.github.sdm.core.testkit.TestData;
import java.nio.file.Path;

/**
 * The reference cases on the CPU with sdm-cuda's ONNX Runtime, the CUDA build, within the CPU build's tolerances: an
 * application that ships sdm-cuda runs on machines without a GPU too, choosing the device at load.
 */
class OnnxCpuOnCudaBuildParityTest extends BackendParitySuite {
    @Override
    protected String backendName() {
        return "onnx";
    }

    @Override
    protected Path modelFolder() {
        return TestData.fixture("tiny-sd-onnx/optimum");
    }
}
