/**
 * Single-file checkpoints in the original LDM / CompVis layout, read as diffusers / Hugging Face weights.
 *
 * <p>{@link io.github.sdm.unet.ldm.LdmCheckpoint#open} opens a {@code .safetensors} file; its
 * {@code unet(LdmUNetLayout)}, {@code vae(AutoencoderKLConfig)} and {@code textEncoder(CLIPTextConfig)} give
 * each network's weights as a {@link io.github.sdm.unet.weights.WeightSource} under diffusers' key names, ready
 * for the networks' {@code load(config, WeightSource, manager)}. The configs come from a diffusers model
 * folder of the same family (a single file carries none). The mappings follow diffusers 0.27.2's
 * {@code convert_from_ckpt.py}; all of them are views over the mapped file, nothing is copied.
 */
package io.github.sdm.unet.ldm;
