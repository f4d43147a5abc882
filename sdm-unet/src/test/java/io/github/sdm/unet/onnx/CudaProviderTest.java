package io.github.sdm.unet.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime's CUDA failures, in the forms its CUDA provider writes them (provider_bridge_ort.cc for libraries,
 * cuda_call.cc for CUDA's errors), become messages that say what to install or change.
 */
class CudaProviderTest {
    private static String explain(String device, String ortMessage) {
        String m = CudaProvider.explain(device, ortMessage, null).getMessage();
        assertTrue(m.startsWith("device '" + device + "': ") && m.contains("ONNX Runtime said: ")
                && m.endsWith("see docs/gpu.md"), m);
        return m;
    }

    @Test
    void missingLibrariesNameEveryLibraryTheProviderNeeds() {
        String m = explain("gpu", "Failed to load library libonnxruntime_providers_cuda.so with error: "
                + "libcublasLt.so.12: cannot open shared object file: No such file or directory");
        for (String library : new String[] {"libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12",
                "libcufft.so.11", "libcurand.so.10", "libnvrtc.so.12", "libcudnn.so.9", "LD_LIBRARY_PATH"}) {
            assertTrue(m.contains(library), library + " missing from: " + m);
        }
    }

    @Test
    void noDeviceSaysSoAndOffersTheCpu() {
        String m = explain("gpu:0", "CUDA failure 100: no CUDA-capable device is detected ; GPU=-1 ; hostname=h ; "
                + "file=cuda_execution_provider.cc ; line=282 ; expr=cudaSetDevice(info_.device_id);");
        assertTrue(m.contains("no GPU is visible") && m.contains("device 'cpu'"), m);
    }

    @Test
    void anIndexBeyondTheGpusNamesTheIndex() {
        String m = explain("gpu:3", "CUDA failure 101: invalid device ordinal ; GPU=3 ; hostname=h ; expr=cudaSetDevice");
        assertTrue(m.contains("there is no GPU 3"), m);
    }

    @Test
    void anIndexRefusedWhenTheOptionsAreReadNamesTheIndexToo() {
        // the provider's options check device_id against cudaGetDeviceCount before any session exists
        String m = explain("gpu:1", "Invalid device ID: 1, must be between 0 (inclusive) and 1 (exclusive).");
        assertTrue(m.contains("there is no GPU 1"), m);
    }

    @Test
    void noDeviceFoundWhileCountingSaysSoToo() {
        String m = explain("gpu", "CUDA error cudaErrorNoDevice:no CUDA-capable device is detected");
        assertTrue(m.contains("no GPU is visible"), m);
    }

    @Test
    void anOldDriverSaysUpdateIt() {
        String m = explain("gpu", "CUDA failure 35: CUDA driver version is insufficient for CUDA runtime version");
        assertTrue(m.contains("update the driver"), m);
    }

    @Test
    void otherFailuresKeepOnnxRuntimesWords() {
        String m = explain("gpu", "CUDA failure 2: out of memory");
        assertTrue(m.contains("could not start its CUDA provider") && m.contains("out of memory"), m);
    }

    @Test
    void onlyCudaFailuresAreTranslated() {
        assertTrue(CudaProvider.isCudaFailure("CUDA failure 100: no CUDA-capable device is detected"));
        assertTrue(CudaProvider.isCudaFailure("libcublasLt.so.12: cannot open shared object file"));
        assertTrue(CudaProvider.isCudaFailure("Invalid device ID: 1, must be between 0 (inclusive) and 1 (exclusive)."));
        assertFalse(CudaProvider.isCudaFailure("Protobuf parsing failed."));
    }

    @Test
    void theIndexComesFromTheDevice() {
        assertEquals(0, CudaProvider.index("gpu"));
        assertEquals(2, CudaProvider.index("gpu:2"));
    }
}
