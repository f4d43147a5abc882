/**
 * Stable Diffusion's denoising network, diffusers' {@code UNet2DConditionModel} (0.27.2 semantics),
 * built from the parts of {@link io.github.sdm.unet.djl.nn}.
 *
 * <p>{@link io.github.sdm.unet.config.UNetConfig} reads {@code config.json} and rejects, naming the field,
 * anything beyond SD 1.x / 2.x UNets. {@link io.github.sdm.unet.djl.unet.UNet2DConditionModel} builds the
 * part tree from it (every part named by its checkpoint key prefix), loads weights from a folder, any
 * {@link io.github.sdm.unet.weights.WeightSource} (a single-file checkpoint renamed to diffusers keys) or seeded
 * random values. There is one pass: whole blocks through their parts, or cut at a shallow depth by a
 * {@link io.github.sdm.unet.djl.unet.DeepBranchHook} so that DeepCache (module {@code sdm-inheritance}) can
 * compute or replace the deep branch; activation capture is an interceptor on the same pass. See
 * {@code docs/unet-parts.md}.
 *
 * <p>One class per diffusers module: {@link io.github.sdm.unet.djl.unet.ResnetBlock2D},
 * {@link io.github.sdm.unet.djl.unet.Transformer2DModel}, {@link io.github.sdm.unet.djl.unet.BasicTransformerBlock},
 * {@link io.github.sdm.unet.djl.unet.Downsample2D}, {@link io.github.sdm.unet.djl.unet.Upsample2D},
 * {@link io.github.sdm.unet.djl.unet.TimestepProjection}, {@link io.github.sdm.unet.djl.unet.TimestepEmbedding};
 * {@link io.github.sdm.unet.djl.unet.DownBlock} and {@link io.github.sdm.unet.djl.unet.UpBlock} cover both the
 * cross-attention and the plain variants, {@link io.github.sdm.unet.djl.unet.MidBlock} is
 * {@code UNetMidBlock2DCrossAttn} and optional ({@code "mid_block_type": null}).
 *
 * <p>Blocks are built from spec records ({@link io.github.sdm.unet.djl.unet.DownBlockSpec},
 * {@link io.github.sdm.unet.djl.unet.UpBlockSpec}, {@link io.github.sdm.unet.djl.unet.MidBlockSpec}, sharing
 * {@link io.github.sdm.unet.djl.unet.ResnetSpec} and {@link io.github.sdm.unet.djl.unet.TransformerSpec}) and a
 * {@link io.github.sdm.unet.djl.unet.UNetLayerFactory}, the seam where a variant puts another layer kind (a
 * multi-expert conditional convolution in the resnets) under the same part names. A UNet folder's config
 * chooses its factory through {@link io.github.sdm.unet.djl.unet.UNetLayerProvider}, a {@code ServiceLoader}
 * SPI keyed by an extra config field (sdm-assembly's {@code sdm_condconv}), so the normal load path builds
 * such a UNet.
 */
package io.github.sdm.unet.djl.unet;

import io.github.sdm.unet.config.UNetConfig;
