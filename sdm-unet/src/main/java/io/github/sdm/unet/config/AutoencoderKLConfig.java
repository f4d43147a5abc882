package io.github.sdm.unet.config;

import io.github.sdm.core.model.ConfigFile;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import java.nio.file.Path;
import java.util.Arrays;
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
        return from(ConfigFile.read(configJson));
    }

    public static AutoencoderKLConfig parse(String json, String source) {
        return from(ConfigFile.parse(json, source));
    }

    /** Absent fields take {@code AutoencoderKL.__init__}'s defaults, as diffusers does. */
    public static AutoencoderKLConfig from(ConfigFile c) {
        String className = c.string("_class_name", "AutoencoderKL");
        if (!className.equals("AutoencoderKL")) {
            throw c.invalid("_class_name", "expected AutoencoderKL");
        }
        String act = c.string("act_fn", "silu");
        if (!act.equals("silu")) {
            throw c.invalid("act_fn", "only silu is supported");
        }
        List<Integer> channels = c.has("block_out_channels")
                ? Arrays.stream(c.integers("block_out_channels")).boxed().toList() : List.of(64);
        requireAll(c, "down_block_types", DOWN_BLOCK, channels.size());
        requireAll(c, "up_block_types", UP_BLOCK, channels.size());
        // Later diffusers versions can drop these convs; 0.27.2 always has them.
        for (String key : List.of("use_quant_conv", "use_post_quant_conv")) {
            if (!c.bool(key, true)) {
                throw c.invalid(key, "a VAE without quant convs is not supported");
            }
        }
        try {
            return new AutoencoderKLConfig(
                    c.integer("in_channels", 3),
                    c.integer("out_channels", 3),
                    channels,
                    c.integer("layers_per_block", 1),
                    c.integer("latent_channels", 4),
                    c.integer("norm_num_groups", 32),
                    c.number("scaling_factor", 0.18215),
                    c.bool("mid_block_add_attention", true),
                    c.number("shift_factor", 0.0),
                    c.bool("force_upcast", true));
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage());
        }
    }

    /** The block types, one per level (absent: diffusers' default of one such block), all {@code expected}. */
    private static void requireAll(ConfigFile c, String key, String expected, int count) {
        List<String> types = c.has(key) ? c.strings(key) : List.of(expected);
        if (types.size() != count) {
            throw c.invalid(key, "expected one entry per block_out_channels entry (" + count + ")");
        }
        for (String t : types) {
            if (!t.equals(expected)) {
                throw c.invalid(key, "only " + expected + " is supported");
            }
        }
    }
}
