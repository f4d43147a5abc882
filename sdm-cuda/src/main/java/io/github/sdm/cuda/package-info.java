/**
 * GPU execution: {@link io.github.sdm.cuda.NvidiaGpus} finds the machine's NVIDIA GPUs without an engine. The module's
 * dependencies are the rest: it brings ONNX Runtime's CUDA build ({@code onnxruntime_gpu}) for the onnx backend, whose
 * {@code gpu}/{@code gpu:N} device adds ONNX Runtime's CUDA execution provider; DJL's backend finds CUDA natives as
 * docs/gpu.md describes, or through {@link io.github.sdm.cuda.LibTorchFolder}, which checks a libtorch folder first. Its tests are the GPU suite ({@code scripts/gpu-check}).
 */
package io.github.sdm.cuda;
