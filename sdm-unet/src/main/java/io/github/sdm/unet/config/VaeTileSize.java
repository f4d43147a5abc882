package io.github.sdm.unet.config;

import io.github.sdm.core.model.ConfigFile;
import java.nio.file.Path;

/**
 * The tiles of diffusers' {@code AutoencoderKL.enable_tiling()} (v0.27.2), as its {@code __init__} derives them
 * from the config: {@code tile_sample_min_size} = {@code sample_size} (the first entry when it is a list),
 * {@code tile_latent_min_size} = {@code int(sample_size / 2^(levels-1))}, {@code tile_overlap_factor} 0.25.
 *
 * @param sampleTile {@code tile_sample_min_size}: image pixels per tile side
 * @param latentTile {@code tile_latent_min_size}: latents per tile side
 * @param overlapFactor {@code tile_overlap_factor}: the share of a tile its neighbour overlaps
 */
public record VaeTileSize(int sampleTile, int latentTile, double overlapFactor) {
    /** diffusers' {@code tile_overlap_factor}, fixed in {@code AutoencoderKL.__init__}. */
    public static final double DIFFUSERS_OVERLAP = 0.25;
    /** {@code AutoencoderKL.__init__}'s default {@code sample_size}. */
    private static final int DEFAULT_SAMPLE_SIZE = 32;

    public VaeTileSize {
        if (sampleTile <= 0 || latentTile <= 0 || !(overlapFactor >= 0 && overlapFactor < 1)) {
            throw new IllegalArgumentException("VAE tiles: sizes must be positive and the overlap in [0, 1): sample "
                    + sampleTile + ", latent " + latentTile + ", overlap " + overlapFactor);
        }
    }

    public static VaeTileSize read(Path configJson) {
        return from(ConfigFile.read(configJson));
    }

    /** From an {@code AutoencoderKL} config; the downscale comes from its {@code block_out_channels}. */
    public static VaeTileSize from(ConfigFile c) {
        int downscale = AutoencoderKLConfig.from(c).downscaleFactor();
        int sample = c.isList("sample_size") ? 0 : c.integer("sample_size", DEFAULT_SAMPLE_SIZE);
        if (c.isList("sample_size")) {
            int[] sides = c.integers("sample_size");
            if (sides.length == 0) {
                throw c.invalid("sample_size", "expected a size or a list of sizes");
            }
            sample = sides[0];
        }
        if (sample < downscale) {
            throw c.invalid("sample_size", "must be at least the VAE's downscale factor " + downscale
                    + " to make tiles of at least one latent");
        }
        return new VaeTileSize(sample, sample / downscale, DIFFUSERS_OVERLAP);
    }
}
