package io.github.sdm.cuda.djl;

import ai.djl.engine.Engine;
import io.github.sdm.cuda.GpuCondition;
import java.util.Optional;

/** Runs a test class where an NVIDIA GPU is there and DJL's PyTorch natives can use it. */
public final class DjlCuda extends GpuCondition {
    @Override
    protected String engine() {
        return "djl";
    }

    @Override
    protected Optional<String> missing() {
        Optional<String> gpu = missingGpu();
        if (gpu.isPresent()) {
            return gpu; // DJL's engine is not started without a GPU to find
        }
        Engine engine;
        try {
            engine = Engine.getEngine("PyTorch");
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("DJL's PyTorch engine could not start with its natives (PYTORCH_LIBRARY_PATH="
                    + System.getenv("PYTORCH_LIBRARY_PATH") + "): " + e);
        }
        return engine.getGpuCount() > 0 ? Optional.empty()
                : Optional.of("DJL's PyTorch natives (" + engine.getVersion() + ") see no GPU: they are the CPU build; "
                        + "point PYTORCH_LIBRARY_PATH at libtorch 2.7.1 for CUDA 12.8 with PYTORCH_VERSION=2.7.1 and "
                        + "PYTORCH_FLAVOR=cu128 (docs/gpu.md)");
    }
}
