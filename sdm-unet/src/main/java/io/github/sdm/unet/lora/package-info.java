/**
 * LoRA adapter files, engine-free: {@link io.github.sdm.unet.lora.LoraFile} reads the kohya/A1111 and
 * diffusers/PEFT layouts and matches their layers to a model's parts ({@link io.github.sdm.unet.lora.LoraTargets},
 * built from the network's own part tree). Applying them (merged into the weights, or per generation) is
 * {@code io.github.sdm.unet.djl.lora}'s work. See docs/lora.md.
 */
package io.github.sdm.unet.lora;
