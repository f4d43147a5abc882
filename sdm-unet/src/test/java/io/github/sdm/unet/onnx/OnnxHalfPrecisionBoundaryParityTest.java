package io.github.sdm.unet.onnx;

import io.github.sdm.core.testkit.BackendParitySuite;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.testkit.Tolerance;
import java.nio.file.Path;

/**
 * The reference cases on an export whose float inputs and outputs are float16 ({@code tiny-sd-onnx/
 * optimum-fp16-boundary}, written from {@code optimum/} by {@code fp16_boundary.py}: the inside of each graph stays
 * fp32), so only the backend's conversions at the boundary and the rounding to half precision there differ from the
 * fp32 run. The stated bounds follow from that rounding (half precision keeps 11 significant bits, a relative error of
 * up to 4.9e-4 per conversion): network outputs within 1e-3 of their peak (measured up to 4.3e-4), final latents
 * within 2e-3 of their peak after every UNet call's input and output was rounded (measured up to 1.9e-3), images
 * within 2e-3 as on fp32.
 */
class OnnxHalfPrecisionBoundaryParityTest extends BackendParitySuite {
    @Override
    protected String backendName() {
        return new OnnxBackend().name();
    }

    @Override
    protected Path modelFolder() {
        return TestData.fixture("tiny-sd-onnx/optimum-fp16-boundary");
    }

    @Override
    protected Tolerance networkTolerance() {
        return Tolerance.ofPeakAtLeastOne(1e-3);
    }

    @Override
    protected Tolerance latentTolerance() {
        return Tolerance.ofPeakAtLeastOne(2e-3);
    }

    @Override
    protected Tolerance imageTolerance() {
        return Tolerance.absolute(2e-3);
    }
}
