package io.github.sdm.unet.vae;

import io.github.sdm.core.ModelFormatException;
import io.github.sdm.unet.nn.JsonConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * The architecture of a diffusers {@code AutoencoderKL} (v0.27.2), as its {@code config.json} states it.
 * Only the Stable Diffusion family is supported: {@code DownEncoderBlock2D} / {@code UpDecoderBlock2D}
 * blocks, SiLU, group norm; any other value of a field that changes the computation is rejected with a
 * message naming the field.
 *
 * @param blockOutChannels channels per encoder level (the decoder runs them in reverse); one level fewer
 *     than the count downsamples, so 4 levels give SD's 8x smaller latents
 * @param layersPerBlock resnets per encoder level; the decoder has one more per level
 * @param scalingFactor what the pipeline multiplies latents by after encoding (and divides by before
 *     decoding); not applied by the model itself
 * @param midBlockAddAttention whether the mid blocks have their single-head attention (true for SD)
 * @param shiftFactor what the pipeline subtracts from latents before scaling them (and adds back after
 *     unscaling); 0 when the config has none or {@code null} (SD 1.x and 2.x)
 * @param forceUpcast diffusers' {@code force_upcast}: the VAE runs in fp32 even when the pipeline computes in
 *     fp16 (SD 1.x's VAE overflows in fp16); diffusers' default is true
 */
public record AutoencoderKLConfig(
        int inChannels,
        int outChannels,
        List<Integer> blockOutChannels,
        int layersPerBlock,
        int latentChannels,
        int normNumGroups,
        double scalingFactor,
        boolean midBlockAddAttention,
        double shiftFactor,
        boolean forceUpcast) {

    public static final String DOWN_BLOCK = "DownEncoderBlock2D";
    public static final String UP_BLOCK = "UpDecoderBlock2D";

    public AutoencoderKLConfig {
        blockOutChannels = List.copyOf(blockOutChannels);
        if (inChannels <= 0 || outChannels <= 0 || latentChannels <= 0 || layersPerBlock <= 0
                || normNumGroups <= 0 || blockOutChannels.isEmpty()) {
            throw new IllegalArgumentException("VAE config: sizes must be positive: in_channels " + inChannels
                    + ", out_channels " + outChannels + ", latent_channels " + latentChannels
                    + ", layers_per_block " + layersPerBlock + ", norm_num_groups " + normNumGroups
                    + ", block_out_channels " + blockOutChannels);
        }
        for (int c : blockOutChannels) {
            if (c <= 0 || c % normNumGroups != 0) {
                throw new IllegalArgumentException("VAE config: block_out_channels " + blockOutChannels
                        + " must all be positive multiples of norm_num_groups " + normNumGroups);
            }
        }
    }

    public int blockCount() {
        return blockOutChannels.size();
    }

    /** How much smaller the latents are than the image, per side: {@code 2^(blocks-1)}. */
    public int downscaleFactor() {
        return 1 << (blockCount() - 1);
    }

    /** Stable Diffusion 1.x / 2.x's VAE (for timing without a checkpoint). */
    public static AutoencoderKLConfig stableDiffusion15() {
        return new AutoencoderKLConfig(3, 3, List.of(128, 256, 512, 512), 2, 4, 32, 0.18215, true, 0.0,
                true);
    }

    public static AutoencoderKLConfig read(Path configJson) {
        return from(JsonConfig.read(configJson));
    }

    public static AutoencoderKLConfig parse(String json, String source) {
        return from(JsonConfig.parse(json, source));
    }

    /** Absent fields take {@code AutoencoderKL.__init__}'s defaults, as diffusers does. */
    private static AutoencoderKLConfig from(JsonConfig c) {
        String className = c.string("_class_name", "AutoencoderKL");
        if (!className.equals("AutoencoderKL")) {
            throw c.error("_class_name", className, "expected AutoencoderKL");
        }
        String act = c.string("act_fn", "silu");
        if (!act.equals("silu")) {
            throw c.error("act_fn", act, "only silu is supported");
        }
        List<Integer> channels = c.has("block_out_channels") ? c.intList("block_out_channels") : List.of(64);
        List<String> down = c.has("down_block_types") ? c.stringList("down_block_types") : List.of(DOWN_BLOCK);
        List<String> up = c.has("up_block_types") ? c.stringList("up_block_types") : List.of(UP_BLOCK);
        requireAll(c, "down_block_types", down, DOWN_BLOCK, channels.size());
        requireAll(c, "up_block_types", up, UP_BLOCK, channels.size());
        // Later diffusers versions can drop these convs; 0.27.2 always has them.
        if (!c.booleanValue("use_quant_conv", true) || !c.booleanValue("use_post_quant_conv", true)) {
            throw c.error("use_quant_conv/use_post_quant_conv", false, "a VAE without quant convs is not supported");
        }
        try {
            return new AutoencoderKLConfig(
                    c.intValue("in_channels", 3),
                    c.intValue("out_channels", 3),
                    channels,
                    c.intValue("layers_per_block", 1),
                    c.intValue("latent_channels", 4),
                    c.intValue("norm_num_groups", 32),
                    c.doubleValue("scaling_factor", 0.18215),
                    c.booleanValue("mid_block_add_attention", true),
                    c.has("shift_factor") ? c.doubleValue("shift_factor") : 0.0,
                    c.booleanValue("force_upcast", true));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(c.source() + ": " + e.getMessage(), e);
        }
    }

    private static void requireAll(JsonConfig c, String key, List<String> types, String expected, int count) {
        if (types.size() != count) {
            throw c.error(key, types, "expected one entry per block_out_channels entry (" + count + ")");
        }
        for (String t : types) {
            if (!t.equals(expected)) {
                throw c.error(key, types, "only " + expected + " is supported");
            }
        }
    }
}
