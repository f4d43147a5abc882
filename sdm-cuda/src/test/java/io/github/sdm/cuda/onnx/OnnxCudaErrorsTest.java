package io.github.sdm.cuda.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.cuda.NvidiaGpus;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What a user sees when the GPU path cannot run, with sdm-cuda's ONNX Runtime (the CUDA build) on the class path:
 * every failure names the device and says what to install or change.
 */
class OnnxCudaErrorsTest {
    private static final Path EXPORT = TestData.fixture("tiny-sd-onnx/optimum");

    @Test
    void sdmCudaBringsOnnxRuntimesCudaProvider() {
        assertTrue(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                "sdm-cuda's ONNX Runtime should be the CUDA build: " + OrtEnvironment.getAvailableProviders());
    }

    @Test
    void withoutAGpuOrItsLibrariesTheLoadSaysWhatToInstall() {
        NvidiaGpus.Listing gpus = NvidiaGpus.list();
        Assumptions.assumeFalse(gpus.any(), "a GPU is here: " + gpus.gpus());
        SdmException e = assertThrows(SdmException.class, () -> StableDiffusion.load(EXPORT,
                LoadOptions.defaults().withDevice("gpu:0")));
        String m = e.getMessage();
        System.out.println("gpu:0 without a GPU: " + m);
        assertTrue(m.contains("device 'gpu:0'") && m.contains("docs/gpu.md"), m);
        // here either the CUDA libraries are missing (named) or CUDA finds no device (said so)
        assertTrue(m.contains("libcudnn.so.9") || m.contains("no GPU is visible"), m);
    }

    @Test
    void aGpuIndexBeyondTheMachinesIsNamed() {
        NvidiaGpus.Listing gpus = NvidiaGpus.list();
        Assumptions.assumeTrue(gpus.any(), "no GPU here: " + gpus.problem());
        String device = "gpu:" + gpus.gpus().size();
        SdmException e = assertThrows(SdmException.class, () -> StableDiffusion.load(EXPORT,
                LoadOptions.defaults().withDevice(device)));
        assertTrue(e.getMessage().contains("there is no GPU " + gpus.gpus().size()), e.getMessage());
    }
}
