package io.github.sdm.cuda.onnx;

import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.testkit.BackendParitySuite;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.testkit.Tolerance;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reference cases on the onnx backend on GPU 0 (ONNX Runtime's CUDA provider), with optimum's export of the tiny
 * model. Bounds: 1e-2 of the peak, looser than on the CPU because cuDNN's convolution algorithms and, where enabled,
 * TF32 matrix products (10 mantissa bits, Ampere and later) round differently. Not yet run: no GPU was lent
 * to this work (docs/gpu.md), so the bounds are stated, not measured.
 */
@ExtendWith(OnnxCuda.class)
class OnnxCudaParityTest extends BackendParitySuite {
    @Override
    protected String backendName() {
        return "onnx";
    }

    @Override
    protected Path modelFolder() {
        return TestData.fixture("tiny-sd-onnx/optimum");
    }

    @Override
    protected LoadOptions loadOptions() {
        return super.loadOptions().withDevice("gpu:0");
    }

    @Override
    protected Tolerance networkTolerance() {
        return Tolerance.ofPeakAtLeastOne(1e-2);
    }

    @Override
    protected Tolerance latentTolerance() {
        return Tolerance.ofPeakAtLeastOne(1e-2);
    }

    @Override
    protected Tolerance imageTolerance() {
        return Tolerance.absolute(1e-2);
    }
}
