package io.github.sdm.cuda.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.github.sdm.cuda.GpuCondition;
import java.util.Optional;

/** Runs a test class where an NVIDIA GPU is there and the ONNX Runtime on the class path has its CUDA provider. */
public final class OnnxCuda extends GpuCondition {
    @Override
    protected String engine() {
        return "onnx";
    }

    @Override
    protected Optional<String> missing() {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return Optional.of("the ONNX Runtime on the class path has no CUDA provider ("
                    + OrtEnvironment.getAvailableProviders() + ")");
        }
        return missingGpu();
    }
}
