/**
 * Stable Diffusion's denoising network, diffusers' {@code UNet2DConditionModel} (0.27.2 semantics),
 * built from the parts of {@link io.github.sdm.unet.nn}.
 *
 * <p>{@link io.github.sdm.unet.unet.UNetConfig} reads {@code config.json} and rejects, naming the field,
 * anything beyond SD 1.x / 2.x UNets. {@link io.github.sdm.unet.unet.UNet2DConditionModel} builds the
 * part tree from it (every part named by its checkpoint key prefix), loads weights from a folder, any
 * {@link io.github.sdm.unet.nn.WeightSource} (a single-file checkpoint renamed to diffusers keys) or seeded
 * random values, and runs the pass either whole, block by block, layer by layer, or split at a shallow
 * depth for DeepCache-style reuse of deep features across timesteps. See {@code docs/unet-parts.md}.
 *
 * <p>One class per diffusers module: {@link io.github.sdm.unet.unet.ResnetBlock2D},
 * {@link io.github.sdm.unet.unet.Transformer2DModel}, {@link io.github.sdm.unet.unet.BasicTransformerBlock},
 * {@link io.github.sdm.unet.unet.Downsample2D}, {@link io.github.sdm.unet.unet.Upsample2D},
 * {@link io.github.sdm.unet.unet.TimestepProjection}, {@link io.github.sdm.unet.unet.TimestepEmbedding};
 * {@link io.github.sdm.unet.unet.DownBlock} and {@link io.github.sdm.unet.unet.UpBlock} cover both the
 * cross-attention and the plain variants, {@link io.github.sdm.unet.unet.MidBlock} is
 * {@code UNetMidBlock2DCrossAttn}.
 */
package io.github.sdm.unet.unet;
