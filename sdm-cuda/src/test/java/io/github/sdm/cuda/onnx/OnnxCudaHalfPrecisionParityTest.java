package io.github.sdm.cuda.onnx;

import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.testkit.BackendParitySuite;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.testkit.Tolerance;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reference cases on the fp16 export ({@code tiny-sd-onnx/optimum-fp16}: float16 weights, computation, inputs and
 * outputs) on GPU 0, where CUDA's float16 kernels compute it. Bounds: twice the CPU run's
 * ({@code OnnxHalfPrecisionParityTest}: 5e-3 of the peak for networks, 1e-2 for latents and images), since the GPU's
 * kernels may also accumulate in half precision. Not yet run: no GPU was lent to this work, so they are stated, not
 * measured.
 */
@ExtendWith(OnnxCuda.class)
class OnnxCudaHalfPrecisionParityTest extends BackendParitySuite {
    @Override
    protected String backendName() {
        return "onnx";
    }

    @Override
    protected Path modelFolder() {
        return TestData.fixture("tiny-sd-onnx/optimum-fp16");
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
        return Tolerance.ofPeakAtLeastOne(2e-2);
    }

    @Override
    protected Tolerance imageTolerance() {
        return Tolerance.absolute(2e-2);
    }
}
