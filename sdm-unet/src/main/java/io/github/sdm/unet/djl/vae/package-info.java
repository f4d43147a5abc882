/**
 * The Stable Diffusion VAE: diffusers' {@code AutoencoderKL} (v0.27.2) on the {@code nn} framework, with the
 * checkpoint's key names ({@code encoder.down_blocks.N...}, {@code decoder.up_blocks.N...}) as part names.
 *
 * <p>{@link io.github.sdm.unet.djl.vae.AutoencoderKL#encode} gives the latent distribution of an image in
 * {@code [-1, 1]} (mean and clamped log-variance); {@link io.github.sdm.unet.djl.vae.AutoencoderKL#decode} turns
 * latents (already divided by the config's {@code scaling_factor}) back into an image. Large intermediate
 * activations are freed as soon as they are used (see {@code Intermediates}), which keeps a 512x512 decode
 * of SD's VAE below 2 GiB of resident memory.
 *
 * <p>{@link io.github.sdm.unet.djl.vae.AutoencoderTiny} is diffusers' {@code AutoencoderTiny} (TAESD), a drop-in
 * VAE of plain convolution blocks ({@code encoder.layers.N}, {@code decoder.layers.N}) without a latent
 * distribution.
 */
package io.github.sdm.unet.djl.vae;
