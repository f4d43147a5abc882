package io.github.sdm.unet.onnx;

import io.github.sdm.core.testkit.TestData;
import java.nio.file.Path;

/**
 * The ONNX exports of the tiny model's weights in the test resources ({@code fixtures/tiny-sd-onnx}), one per
 * convention found in the wild.
 */
final class OnnxExports {
    private OnnxExports() {
    }

    /** diffusers' conversion script: int32 ids, a float timestep, an encoder that draws its sample in the graph. */
    static Path diffusersScript() {
        return TestData.fixture("tiny-sd-onnx/diffusers-script");
    }

    /** optimum's exporter: int64 ids, an int64 timestep, an encoder that gives mean and log-variance. */
    static Path optimum() {
        return TestData.fixture("tiny-sd-onnx/optimum");
    }
}
