package io.github.sdm.unet.onnx;

import io.github.sdm.core.testkit.BackendParitySuite;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.testkit.Tolerance;
import java.nio.file.Path;

/**
 * The reference cases on an fp16 export ({@code tiny-sd-onnx/optimum-fp16}, written from {@code optimum/} by
 * {@code fp16_export.py} as exporters' fp16 options write them: float16 weights, constants, casts, inputs and
 * outputs), on the CPU. ONNX Runtime's CPU provider runs it, so the half-precision path is proven without a GPU: the
 * backend reads the graphs' float16 element types and converts at the boundary, latents and sampler arithmetic stay
 * fp32. Bounds, from the rounding of every weight and of every activation between operators to 11 significant bits:
 * network outputs within 5e-3 of their peak (measured up to 1.3e-3, the VAE decoder), final latents within 1e-2 of
 * their peak (measured up to 3.0e-3, after 6 to 10 steps), images within 1e-2 (measured up to 3.9e-3).
 */
class OnnxHalfPrecisionParityTest extends BackendParitySuite {
    @Override
    protected String backendName() {
        return new OnnxBackend().name();
    }

    @Override
    protected Path modelFolder() {
        return TestData.fixture("tiny-sd-onnx/optimum-fp16");
    }

    @Override
    protected Tolerance networkTolerance() {
        return Tolerance.ofPeakAtLeastOne(5e-3);
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
