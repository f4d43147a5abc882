/**
 * Stable Diffusion's denoising network, diffusers' {@code UNet2DConditionModel} (0.27.2 semantics),
 * built from the parts of {@link io.github.sdm.unet.nn}.
 *
 * <p>{@link io.github.sdm.unet.unet.UNetConfig} reads {@code config.json} and rejects, naming the field,
 * anything beyond SD 1.x / 2.x UNets. {@link io.github.sdm.unet.unet.UNet2DConditionModel} builds the
 * part tree from it (every part named by its checkpoint key prefix), loads weights from a folder, any
 * {@link io.github.sdm.unet.nn.WeightSource} (a single-file checkpoint renamed to diffusers keys) or seeded
 * random values. There is one pass: whole blocks through their parts, or cut at a shallow depth by a
 * {@link io.github.sdm.unet.unet.DeepBranchHook} so that DeepCache (module {@code sdm-inheritance}) can
 * compute or replace the deep branch; activation capture is an interceptor on the same pass. See
 * {@code docs/unet-parts.md}.
 *
 * <p>One class per diffusers module: {@link io.github.sdm.unet.unet.ResnetBlock2D},
 * {@link io.github.sdm.unet.unet.Transformer2DModel}, {@link io.github.sdm.unet.unet.BasicTransformerBlock},
 * {@link io.github.sdm.unet.unet.Downsample2D}, {@link io.github.sdm.unet.unet.Upsample2D},
 * {@link io.github.sdm.unet.unet.TimestepProjection}, {@link io.github.sdm.unet.unet.TimestepEmbedding};
 * {@link io.github.sdm.unet.unet.DownBlock} and {@link io.github.sdm.unet.unet.UpBlock} cover both the
 * cross-attention and the plain variants, {@link io.github.sdm.unet.unet.MidBlock} is
 * {@code UNetMidBlock2DCrossAttn} and optional ({@code "mid_block_type": null}).
 *
 * <p>Blocks are built from spec records ({@link io.github.sdm.unet.unet.DownBlockSpec},
 * {@link io.github.sdm.unet.unet.UpBlockSpec}, {@link io.github.sdm.unet.unet.MidBlockSpec}, sharing
 * {@link io.github.sdm.unet.unet.ResnetSpec} and {@link io.github.sdm.unet.unet.TransformerSpec}) and a
 * {@link io.github.sdm.unet.unet.UNetLayerFactory}, the seam where a variant puts another layer kind (a
 * multi-expert conditional convolution in the resnets) under the same part names.
 */
package io.github.sdm.unet.unet;
