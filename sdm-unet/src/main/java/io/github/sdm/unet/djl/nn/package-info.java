/**
 * The building blocks every network of sdm is made of, on DJL's PyTorch engine.
 *
 * <p><b>Parts.</b> A network is a tree of {@link io.github.sdm.unet.djl.nn.Part}s. A part's name is its full
 * checkpoint key prefix in the diffusers / Hugging Face layout (for example
 * {@code down_blocks.1.attentions.0.transformer_blocks.0.attn2}), so the parameters it declares are the
 * checkpoint keys themselves and any part can be found, run alone or replaced by name. Callers use each
 * part's typed methods ({@code resnet.forward(ctx, hidden, temb)}); underneath, every call crosses one
 * boundary, {@code Part.forward(ForwardContext, NDList)}, where inputs and outputs are an
 * {@link ai.djl.ndarray.NDList} in the order the class documents: what interceptors see and what runs a
 * part alone by name.
 *
 * <p><b>Weights.</b> {@link io.github.sdm.unet.djl.nn.WeightLoader} fills a tree from a
 * {@link io.github.sdm.unet.weights.WeightSource} (a safetensors file, or a renamed view of one) and reports
 * every missing key, unexpected key and shape mismatch in one exception. F32 weights stay in the mapped
 * file; F16 is converted to F32 by the engine, BF16 widened off-heap. Asked to, it holds the weights in float16
 * (F16 tensors stay mapped) or, for convolution and linear weights, as int8 with per-output-channel scales
 * (quantized at load, or mapped from an int8 weight file that {@link io.github.sdm.unet.djl.nn.HeldWeightsWriter}
 * wrote).
 * {@link io.github.sdm.unet.djl.nn.RandomWeights} gives seeded weights for timing networks of real size without a
 * checkpoint.
 *
 * <p><b>Precision.</b> Every layer computes in its input's type; weights held in another type are converted
 * just before their op, one output-channel slice at a time, and freed after it. The context's compute precision
 * is the type a network casts its float32 inputs to (and its outputs back from); its attention precision keeps
 * attention in float32 where the model asks for it (diffusers' {@code upcast_attention}).
 *
 * <p><b>Forward passes.</b> A {@link io.github.sdm.unet.djl.nn.ForwardContext} carries the per-call
 * settings. Every part runs through its {@link io.github.sdm.unet.djl.nn.PartInterceptor}, which may
 * observe, skip or replace it (feature inheritance reuses activations of earlier timesteps this way).
 * Interceptors stack without knowing each other: {@code outer.andThen(inner)}, or
 * {@code ctx.withOuterInterceptor(outer)} to wrap whatever the caller set (a profiler stays innermost,
 * next to the computation; inheritance or distillation taps wrap it). The outer one sees each part first
 * and gets the inner one's result, replacement included.
 * Composite parts compute inside a sub-manager of the caller's scope, so only their outputs survive them:
 * native memory stays flat over any number of calls. Engine ops attach their result to the manager of
 * their receiver, hence the rule inside every part: an activation is always the receiver, never a weight.
 * An inference pass (the default) records no gradients.
 *
 * <p><b>Training.</b> {@link io.github.sdm.unet.djl.nn.Network#makeTrainable()} replaces every weight by an owned
 * float32 copy whose gradient the engine collects (loaded weights may be read-only views of a mapped file).
 * A training pass, {@code ForwardContext.DEFAULT.withTraining(true)}, records the computation for DJL's
 * autograd: it writes nothing in place (the backward pass needs the values), frees nothing early
 * ({@link io.github.sdm.unet.djl.nn.Intermediates} does nothing) and reads the weights themselves rather than
 * the views parts derive from them for speed ({@code WeightSlices}, reshaped kernels), whole, so that
 * every weight receives its gradient. Run it inside the engine's gradient collector:
 * <pre>{@code
 * unet.makeTrainable();
 * try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
 *     NDArray loss = unet.forward(sample, t, text, ForwardContext.DEFAULT.withTraining(true))
 *             .sub(target).square().mean();
 *     collector.backward(loss);
 * }
 * unet.applyGradients(optimizer::update); // e.g. DJL's Optimizer.sgd(); then zeroes the gradients
 * }</pre>
 * {@link io.github.sdm.unet.djl.nn.Network#applyGradients} updates the weights in place with recording off
 * and lets the parts derive their views anew, so inference passes (which need no mode switch: any pass
 * without {@code withTraining(true)} is one) see the new values at full speed. Gradients accumulate over
 * backward passes until a step or {@link io.github.sdm.unet.djl.nn.Network#zeroGradients()}. The gradient
 * check in {@code TrainingModeTest} compares autograd with finite differences for every part kind.
 * A part never multiplies by a Java number with DJL's {@code mul(number)} (nor builds an array from Java data
 * that the graph may keep): that array wraps a Java buffer, which a garbage collection before the backward
 * pass frees; {@link io.github.sdm.unet.djl.nn.EngineScalars} makes such constants in engine memory.
 *
 * <p><b>Performance.</b> Only fused engine ops (linear, conv2d, layer norm, softmax, batched matmul);
 * no Java-side element loops or float[] round trips inside a network. On CPU the engine's oneDNN
 * convolution kernels are about twice as fast as the BLAS behind its linear and matmul ops, so large
 * products run as 1x1 convolutions over channels-last views ({@link io.github.sdm.unet.djl.nn.Linear},
 * {@link io.github.sdm.unet.djl.nn.AttentionCore}); weights above 16 MiB run in output-channel slices
 * ({@code WeightSlices}) and attention score maps in chunks of at most 16 MiB, because glibc serves
 * larger blocks from freshly mapped pages that the kernel faults in and zeroes on every call. Parts
 * free their large intermediates as soon as they are used ({@link io.github.sdm.unet.djl.nn.Intermediates}).
 * Measurements and the harnesses that made them: {@code docs/performance-notes.md}.
 */
package io.github.sdm.unet.djl.nn;

import io.github.sdm.unet.weights.WeightSource;
