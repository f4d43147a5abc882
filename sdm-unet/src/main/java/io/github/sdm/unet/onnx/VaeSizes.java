package io.github.sdm.unet.onnx;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.ConfigFile;

/**
 * What the pipeline needs to know of an exported VAE besides its graphs: the latent channels (from the decoder's
 * input when the graph fixes them), and the downscale, scaling and shift factors, which a graph does not state. They
 * come from {@code vae_decoder/config.json} where the export has one (optimum writes it); without one, from SD 1.x:
 * factor 8 and scaling 0.18215, the values diffusers' {@code OnnxStableDiffusionPipeline} itself hard-codes for every
 * ONNX export. {@link OnnxAutoencoder#decode} checks the factor against the decoder's output.
 *
 * @param latentChannels latent channels
 * @param downscaleFactor image side over latent side
 * @param scalingFactor the latent scale
 * @param shiftFactor the latent shift (0 for SD 1.x and 2.x)
 * @param source where the factors come from, for messages
 */
record VaeSizes(int latentChannels, int downscaleFactor, float scalingFactor, float shiftFactor, String source) {
    private static final int SD_LATENT_CHANNELS = 4;
    private static final int SD_DOWNSCALE_FACTOR = 8;
    private static final float SD_SCALING_FACTOR = 0.18215f;

    /**
     * @param config {@code vae_decoder/config.json}, or null when the export has none
     * @param graphLatentChannels the decoder input's channel dimension, or a negative number when it is dynamic
     * @throws ModelFormatException if the config and the graph disagree on the latent channels
     */
    static VaeSizes of(ConfigFile config, long graphLatentChannels) {
        if (config == null) {
            return new VaeSizes(graphLatentChannels > 0 ? (int) graphLatentChannels : SD_LATENT_CHANNELS,
                    SD_DOWNSCALE_FACTOR, SD_SCALING_FACTOR, 0f, "SD 1.x's VAE (the export has no "
                            + "vae_decoder/config.json; diffusers' OnnxStableDiffusionPipeline assumes the same)");
        }
        int latentChannels = config.integer("latent_channels", SD_LATENT_CHANNELS);
        if (graphLatentChannels > 0 && graphLatentChannels != latentChannels) {
            throw config.invalid("latent_channels", "the decoder graph takes " + graphLatentChannels + " channels");
        }
        int levels = config.has("block_out_channels") ? config.integers("block_out_channels").length : 4;
        return new VaeSizes(latentChannels, 1 << (levels - 1),
                (float) config.number("scaling_factor", SD_SCALING_FACTOR),
                config.has("shift_factor") ? (float) config.number("shift_factor") : 0f, config.source());
    }
}
