/**
 * The ONNX Runtime backend: {@link io.github.sdm.unet.onnx.OnnxBackend} ({@code "onnx"}) runs the networks of an ONNX
 * export folder ({@code OnnxStableDiffusionPipeline}: {@code text_encoder/}, {@code unet/}, {@code vae_decoder/} and
 * optionally {@code vae_encoder/} {@code model.onnx}) on ONNX Runtime. The only package that imports
 * {@code ai.onnxruntime}.
 *
 * <ul>
 *   <li>{@code OnnxExport}: which folders it claims, and why not; {@code GraphSettings}: the session options (graph
 *       optimizations ALL, intra-op threads from {@code LoadOptions.threads}, memory arena and pattern, the CUDA
 *       provider for a GPU) and what it refuses;</li>
 *   <li>{@code OnnxGraph}: one network's shared session, its inputs and outputs found by name and rank as the file
 *       declares them; {@code OnnxValues}: tensors across the boundary in the graph's element types (int32/int64
 *       ids, float/int timesteps, float16 inputs and outputs converted there);</li>
 *   <li>{@code OnnxTextEncoder}, {@code OnnxDenoiser}, {@code OnnxAutoencoder} (with {@code VaeSizes}),
 *       {@code OnnxNetworks}: the network SPI;</li>
 *   <li>{@code ProtoFields}, {@code TimestepWidening}, {@code AttentionLayers}: what sdm reads from a graph file
 *       itself (an integer timestep the graph only casts to float is declared float; the text encoder's layer
 *       count).</li>
 * </ul>
 */
package io.github.sdm.unet.onnx;
