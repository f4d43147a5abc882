package io.github.sdm.core.model;

/**
 * Whether the VAE decodes and encodes large images in overlapping tiles, as diffusers'
 * {@code AutoencoderKL.enable_tiling()} does: each tile runs alone (its activations are those of one tile, not
 * of the whole image) and neighbours are blended linearly over the overlap. Tiled results differ from plain
 * ones near the seams, so tiling is for sizes whose plain pass would need too much memory.
 *
 * <p>The tile is the VAE config's {@code sample_size} in pixels (512 for SD 1.5: 64 latents), overlapping by a
 * quarter. A backend that cannot tile its VAE refuses {@link #ON} at load.
 */
public enum VaeTiling {
    /**
     * Tiles only when the latents cover more than four tiles' area (SD 1.5: more than 1024x1024 pixels,
     * e.g. 1024x1088 or 2048x768), where the plain decoder would need several GiB; smaller sizes run plain, so
     * their results are the untiled ones.
     */
    AUTO,
    /** diffusers' {@code enable_tiling()}: tiles whenever a side is larger than one tile. */
    ON,
    /** Never tiles. */
    OFF
}
