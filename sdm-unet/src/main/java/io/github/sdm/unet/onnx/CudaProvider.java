package io.github.sdm.unet.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import io.github.sdm.core.error.SdmException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Locale;

/**
 * ONNX Runtime's CUDA execution provider for a {@code gpu}/{@code gpu:N} device: its options, and what each way it
 * can fail means for the user. Failing is common and the raw messages ("CUDA failure 100", "libcudnn.so.9: cannot
 * open shared object file") do not say what to install, so each is turned into one that does (see docs/gpu.md).
 *
 * <p>Options: the GPU memory arena grows by what is asked ({@code kSameAsRequested}) instead of doubling, since an SD
 * UNet's activations are large and the doubled arena would hold up to twice them; cuDNN searches its convolution
 * algorithms exhaustively once per shape (the shapes stay fixed within a generation size) with its largest workspace;
 * copies run on the compute stream. ONNX Runtime's Java API has no IO binding, so every call copies its inputs to the
 * device and its outputs back: for SD that is the latents and the text conditioning (under a megabyte at 512x512),
 * which the sampler, running in Java on the CPU, needs on the host after every step anyway.
 */
final class CudaProvider {
    /** The CUDA and cuDNN libraries onnxruntime_gpu 1.22.0's provider loads (its ELF NEEDED entries). */
    static final String LIBRARIES = "CUDA 12.x (libcudart.so.12, libcublas.so.12, libcublasLt.so.12, libcufft.so.11, "
            + "libcurand.so.10, libnvrtc.so.12) and cuDNN 9 (libcudnn.so.9)";
    private static final String DOCS = "see docs/gpu.md";
    private final String device;
    private final int index;

    private CudaProvider(String device, int index) {
        this.device = device;
        this.index = index;
    }

    /**
     * The provider for {@code device}, refused when the ONNX Runtime on the class path is a build without CUDA.
     *
     * @param device {@code "gpu"} or {@code "gpu:N"}
     * @return the provider's settings
     * @throws SdmException naming the artifacts to change, when this ONNX Runtime build has no CUDA provider
     */
    static CudaProvider of(String device) {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            throw new SdmException("device '" + device + "' was asked for but the ONNX Runtime on the class path is a "
                    + "build without the CUDA execution provider (providers: "
                    + OrtEnvironment.getAvailableProviders() + ")" + bothBuildsNote()
                    + ": depend on io.github.sdm:sdm-cuda, which brings com.microsoft.onnxruntime:onnxruntime_gpu:1.22.0, "
                    + "and remove com.microsoft.onnxruntime:onnxruntime (the two cannot share a class path); the "
                    + "machine needs " + LIBRARIES + "; " + DOCS);
        }
        return new CudaProvider(device, index(device));
    }

    /** The GPU's index in {@code "gpu"} (0) or {@code "gpu:N"}, as CUDA numbers the visible devices. */
    static int index(String device) {
        return device.contains(":") ? Integer.parseInt(device.substring(device.indexOf(':') + 1)) : 0;
    }

    /**
     * Adds the provider to {@code session}, ahead of the CPU provider (which keeps the operators CUDA lacks).
     *
     * @throws SdmException if its libraries cannot be loaded (the message names those it needs)
     */
    void addTo(OrtSession.SessionOptions session) {
        try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(index)) {
            cuda.add("arena_extend_strategy", "kSameAsRequested");
            cuda.add("cudnn_conv_algo_search", "EXHAUSTIVE");
            cuda.add("cudnn_conv_use_max_workspace", "1");
            cuda.add("do_copy_in_default_stream", "1");
            session.addCUDA(cuda);
        } catch (OrtException e) {
            throw explain(device, e.getMessage(), e);
        }
    }

    /**
     * Whether ONNX Runtime's failure {@code message} comes from CUDA or its libraries (not from the graph file).
     *
     * @param message ONNX Runtime's message
     * @return true for CUDA's own failures and its libraries' loading
     */
    static boolean isCudaFailure(String message) {
        String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return lower.contains("cuda") || lower.contains("cudnn") || lower.contains("cublas")
                || lower.contains("cannot open shared object") || lower.contains("invalid device");
    }

    /**
     * The error to give for ONNX Runtime's failure {@code message} while starting the provider or a session on it:
     * one that says what to install or change.
     *
     * @param device the device asked for, {@code "gpu"} or {@code "gpu:N"}
     * @param message ONNX Runtime's message
     * @param cause the failure, kept as the cause
     * @return the error
     */
    static SdmException explain(String device, String message, Throwable cause) {
        String m = message == null ? "" : message;
        String lower = m.toLowerCase(Locale.ROOT);
        String why;
        if (lower.contains("cannot open shared object") || lower.contains("loadlibrary failed")
                || lower.contains("failed to load library") || lower.contains("failed to find cuda shared provider")) {
            why = "ONNX Runtime's CUDA provider could not load its libraries: it needs " + LIBRARIES + " where the "
                    + "loader finds them (LD_LIBRARY_PATH on Linux, PATH on Windows) and an NVIDIA driver for CUDA 12; "
                    + "install them, or load with device 'cpu'";
        } else if (lower.contains("failure 100") || lower.contains("no cuda-capable device")) {
            why = "no GPU is visible to CUDA on this machine (nvidia-smi lists none, or CUDA_VISIBLE_DEVICES hides "
                    + "them): run on a machine with an NVIDIA GPU, or load with device 'cpu'";
        } else if (lower.contains("failure 101") || lower.contains("invalid device ordinal")
                || lower.contains("invalid device id")) {
            why = "there is no GPU " + index(device) + " among those CUDA sees (numbered from 0; `nvidia-smi -L` lists "
                    + "them, CUDA_VISIBLE_DEVICES narrows them): pick an index that exists";
        } else if (lower.contains("failure 35") || lower.contains("driver version is insufficient")) {
            why = "the NVIDIA driver is older than CUDA 12 needs: update the driver (CUDA 12 wants 525.60.13 or newer "
                    + "on Linux)";
        } else {
            why = "ONNX Runtime could not start its CUDA provider";
        }
        return new SdmException("device '" + device + "': " + why + " (ONNX Runtime said: " + m.strip() + "); " + DOCS,
                cause);
    }

    /**
     * ", with both ... on the class path" when the CPU and the CUDA build of ONNX Runtime are both there (the first one
     * found supplies the natives, and may be the CPU build), else "".
     */
    private static String bothBuildsNote() {
        return jars("onnxruntime") > 0 && jars("onnxruntime_gpu") > 0
                ? ", with both com.microsoft.onnxruntime:onnxruntime and onnxruntime_gpu on the class path (the first "
                + "one found supplies the natives)"
                : "";
    }

    private static int jars(String artifact) {
        try {
            return Collections.list(CudaProvider.class.getClassLoader().getResources(
                    "META-INF/maven/com.microsoft.onnxruntime/" + artifact + "/pom.xml")).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
