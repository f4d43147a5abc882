/**
 * ONNX graphs of sdm's networks, built from their diffusers configs ({@code unet.config}) and safetensors weights
 * ({@code unet.weights}), engine-free: {@link io.github.sdm.unet.graph.ModelGraphs} builds the four graphs of a model
 * (a diffusers folder or a single-file checkpoint), {@link io.github.sdm.unet.graph.UNetGraph},
 * {@link io.github.sdm.unet.graph.AutoencoderGraphs} and {@link io.github.sdm.unet.graph.ClipTextGraph} emit one
 * network each, part by part under the DJL part tree's names, through the shared {@code Layers} and a
 * {@link io.github.sdm.unet.graph.GraphBuilder}, which writes the {@code ModelProto} with a small protobuf writer (no
 * protobuf library). The weights are not copied into the graph: each is an initializer without data
 * ({@link io.github.sdm.unet.graph.GraphWeight}) that the onnx backend ({@code unet.onnx}) hands to ONNX Runtime from
 * the memory-mapped checkpoint when it opens the graph.
 */
package io.github.sdm.unet.graph;
