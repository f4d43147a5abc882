package io.github.sdm.unet.config;

import io.github.sdm.core.model.ConfigFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The architecture of a diffusers {@code AutoencoderTiny} (v0.27.2, TAESD), as its {@code config.json} states it:
 * an encoder and a decoder of plain 3x3 convolutions and ReLU blocks, with no latent distribution. Any value of
 * a field that changes the computation and that this reader does not implement is rejected with a message
 * naming the field.
 *
 * @param encoderBlockOutChannels channels per encoder level; every level but the first starts with a stride-2
 *     convolution that keeps the channel count, so diffusers' wiring needs all entries equal
 * @param decoderBlockOutChannels channels per decoder level; every level but the last ends with a nearest
 *     upsampling and a convolution that keeps the channel count, so all entries must be equal too
 * @param numEncoderBlocks TAESD blocks per encoder level
 * @param numDecoderBlocks TAESD blocks per decoder level
 * @param upsamplingScalingFactor the decoder's upsampling factor per level
 * @param latentMagnitude and {@code latentShift}: diffusers' {@code scale_latents} / {@code unscale_latents},
 *     the map between raw latents and {@code [0, 1]} for storing them as bytes; the pipeline does not use them
 * @param scalingFactor what the pipeline multiplies latents by after encoding (1.0 for TAESD)
 * @param forceUpcast diffusers' {@code force_upcast} (false for TAESD, which computes in fp16)
 */
public record AutoencoderTinyConfig(
        int inChannels,
        int outChannels,
        List<Integer> encoderBlockOutChannels,
        List<Integer> decoderBlockOutChannels,
        List<Integer> numEncoderBlocks,
        List<Integer> numDecoderBlocks,
        int latentChannels,
        int upsamplingScalingFactor,
        double latentMagnitude,
        double latentShift,
        double scalingFactor,
        boolean forceUpcast) {

    public static final String CLASS_NAME = "AutoencoderTiny";

    public AutoencoderTinyConfig {
        encoderBlockOutChannels = List.copyOf(encoderBlockOutChannels);
        decoderBlockOutChannels = List.copyOf(decoderBlockOutChannels);
        numEncoderBlocks = List.copyOf(numEncoderBlocks);
        numDecoderBlocks = List.copyOf(numDecoderBlocks);
        if (inChannels <= 0 || outChannels <= 0 || latentChannels <= 0 || upsamplingScalingFactor <= 0) {
            throw new IllegalArgumentException("tiny VAE config: sizes must be positive: in_channels " + inChannels
                    + ", out_channels " + outChannels + ", latent_channels " + latentChannels
                    + ", upsampling_scaling_factor " + upsamplingScalingFactor);
        }
        requireLevels("encoder_block_out_channels", encoderBlockOutChannels, "num_encoder_blocks", numEncoderBlocks);
        requireLevels("decoder_block_out_channels", decoderBlockOutChannels, "num_decoder_blocks", numDecoderBlocks);
        if (encoderDownscale(numEncoderBlocks) != decoderUpscale(numDecoderBlocks, upsamplingScalingFactor)) {
            throw new IllegalArgumentException("tiny VAE config: the encoder downscales by "
                    + encoderDownscale(numEncoderBlocks) + " (2^(levels-1) of num_encoder_blocks " + numEncoderBlocks
                    + ") but the decoder upscales by " + decoderUpscale(numDecoderBlocks, upsamplingScalingFactor)
                    + " (upsampling_scaling_factor^(levels-1) of num_decoder_blocks " + numDecoderBlocks + ")");
        }
    }

    private static void requireLevels(String channelsKey, List<Integer> channels, String blocksKey,
            List<Integer> blocks) {
        if (channels.isEmpty() || channels.size() != blocks.size()) {
            throw new IllegalArgumentException("tiny VAE config: " + channelsKey + " " + channels + " and "
                    + blocksKey + " " + blocks + " must name the same number of levels, at least one");
        }
        if (channels.stream().anyMatch(c -> c <= 0) || channels.stream().distinct().count() != 1) {
            throw new IllegalArgumentException("tiny VAE config: " + channelsKey + " " + channels
                    + " must be equal positive values (diffusers chains each level's convolutions on one width)");
        }
        if (blocks.stream().anyMatch(b -> b < 0)) {
            throw new IllegalArgumentException("tiny VAE config: " + blocksKey + " " + blocks + " must not be negative");
        }
    }

    private static int encoderDownscale(List<Integer> numEncoderBlocks) {
        return 1 << (numEncoderBlocks.size() - 1);
    }

    private static int decoderUpscale(List<Integer> numDecoderBlocks, int factor) {
        return (int) Math.pow(factor, numDecoderBlocks.size() - 1);
    }

    /** How much smaller the latents are than the image, per side: the encoder's stride-2 levels. */
    public int downscaleFactor() {
        return encoderDownscale(numEncoderBlocks);
    }

    /** The published TAESD for SD 1.x/2.x ({@code madebyollin/taesd}), for timing without a checkpoint. */
    public static AutoencoderTinyConfig taesd() {
        List<Integer> channels = List.of(64, 64, 64, 64);
        return new AutoencoderTinyConfig(3, 3, channels, channels, List.of(1, 3, 3, 3), List.of(3, 3, 3, 1), 4, 2,
                3, 0.5, 1.0, false);
    }

    public static AutoencoderTinyConfig read(Path configJson) {
        return from(ConfigFile.read(configJson));
    }

    public static AutoencoderTinyConfig parse(String json, String source) {
        return from(ConfigFile.parse(json, source));
    }

    /** Absent fields take {@code AutoencoderTiny.__init__}'s defaults, as diffusers does. */
    public static AutoencoderTinyConfig from(ConfigFile c) {
        String className = c.string("_class_name", CLASS_NAME);
        if (!className.equals(CLASS_NAME)) {
            throw c.invalid("_class_name", "expected " + CLASS_NAME);
        }
        if (!c.string("act_fn", "relu").equals("relu")) {
            throw c.invalid("act_fn", "only relu is supported");
        }
        if (!c.string("upsample_fn", "nearest").equals("nearest")) {
            throw c.invalid("upsample_fn", "only nearest is supported");
        }
        try {
            return new AutoencoderTinyConfig(
                    c.integer("in_channels", 3),
                    c.integer("out_channels", 3),
                    list(c, "encoder_block_out_channels", 64, 64, 64, 64),
                    list(c, "decoder_block_out_channels", 64, 64, 64, 64),
                    list(c, "num_encoder_blocks", 1, 3, 3, 3),
                    list(c, "num_decoder_blocks", 3, 3, 3, 1),
                    c.integer("latent_channels", 4),
                    c.integer("upsampling_scaling_factor", 2),
                    c.number("latent_magnitude", 3),
                    c.number("latent_shift", 0.5),
                    c.number("scaling_factor", 1.0),
                    c.bool("force_upcast", false));
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage());
        }
    }

    private static List<Integer> list(ConfigFile c, String key, int... defaults) {
        return Arrays.stream(c.has(key) ? c.integers(key) : defaults).boxed().toList();
    }
}
