/**
 * Feature inheritance on the UNet graphs sdm builds and runs on ONNX Runtime ({@code unet.graph}, the {@code onnx}
 * backend on a diffusers folder or checkpoint): every level is a pair of graph variants
 * ({@link io.github.sdm.unet.graph.UNetCut}). A caching pass is the whole UNet that also returns the reused values
 * (DeepCache's deep feature, or the reused layers' or units' outputs); a reuse pass takes them as inputs, and
 * everything only they needed is pruned from it (at {@code block:K}, the deep branch). The key steps and the reused
 * parts come from {@code inheritance.plan}, as on the DJL backend.
 */
package io.github.sdm.inheritance.graph;
