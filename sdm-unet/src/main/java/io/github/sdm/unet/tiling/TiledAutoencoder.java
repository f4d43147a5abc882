package io.github.sdm.unet.tiling;

import io.github.sdm.core.model.VaeTiling;
import io.github.sdm.core.spi.AutoencoderNetwork;
import io.github.sdm.core.spi.LatentDistribution;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.unet.config.VaeTileSize;
import java.util.Optional;

/**
 * A KL autoencoder that decodes and encodes large inputs in tiles ({@link TiledPass}), as diffusers'
 * {@code AutoencoderKL} does after {@code enable_tiling()}; inputs that fit the {@link VaeTiling} rule go to the
 * wrapped autoencoder whole, untouched.
 *
 * <p>A tiled distribution blends the tiles' mean and (clamped) log-variance; diffusers blends before clamping
 * the log-variance to {@code [-30, 20]}, which differs only where a log-variance crosses a clamp bound inside
 * an overlap.
 */
public final class TiledAutoencoder implements AutoencoderNetwork {
    /** {@link VaeTiling#AUTO} tiles above this many tiles' area. */
    public static final int AUTO_TILES = 4;

    private final AutoencoderNetwork whole;
    private final VaeTileSize tiles;
    private final VaeTiling mode;
    private final TiledPass decoding;
    private final TiledPass encoding;

    /**
     * @param whole the autoencoder that runs each tile (and inputs that are not tiled)
     * @param tiles the tile sizes of {@code whole}'s config
     * @param mode when to tile
     */
    public TiledAutoencoder(AutoencoderNetwork whole, VaeTileSize tiles, VaeTiling mode) {
        this.whole = whole;
        this.tiles = tiles;
        this.mode = mode;
        this.decoding = new TiledPass(tiles.latentTile(), tiles.sampleTile(), tiles.overlapFactor());
        this.encoding = new TiledPass(tiles.sampleTile(), tiles.latentTile(), tiles.overlapFactor());
    }

    /** Whether latents of {@code height x width} decode in tiles (and images of their pixel size encode so). */
    public boolean tilesLatents(int height, int width) {
        return tiles(height, width, tiles.latentTile());
    }

    private boolean tiles(int height, int width, int tile) {
        return switch (mode) {
            case OFF -> false;
            case ON -> height > tile || width > tile;
            case AUTO -> (long) height * width > (long) AUTO_TILES * tile * tile;
        };
    }

    @Override
    public FloatTensor encodeLatents(FloatTensor image) {
        return tiles(image.dim(2), image.dim(3), tiles.sampleTile())
                ? encoding.apply(image, whole::encodeLatents) : whole.encodeLatents(image);
    }

    @Override
    public Optional<LatentDistribution> encodeDistribution(FloatTensor image) {
        if (!tiles(image.dim(2), image.dim(3), tiles.sampleTile())) {
            return whole.encodeDistribution(image);
        }
        int channels = latentChannels();
        FloatTensor moments = encoding.apply(image, tile -> {
            LatentDistribution d = whole.encodeDistribution(tile).orElseThrow(() -> new IllegalStateException(
                    "the tiled autoencoder wraps one without a latent distribution"));
            return stackChannels(d.mean(), d.logVariance());
        });
        return Optional.of(new LatentDistribution(channelSlice(moments, 0, channels),
                channelSlice(moments, channels, 2 * channels)));
    }

    @Override
    public FloatTensor decode(FloatTensor latents) {
        return tilesLatents(latents.dim(2), latents.dim(3)) ? decoding.apply(latents, whole::decode)
                : whole.decode(latents);
    }

    @Override
    public int latentChannels() {
        return whole.latentChannels();
    }

    @Override
    public int downscaleFactor() {
        return whole.downscaleFactor();
    }

    @Override
    public float scalingFactor() {
        return whole.scalingFactor();
    }

    @Override
    public float shiftFactor() {
        return whole.shiftFactor();
    }

    /** {@code torch.cat([a, b], dim=1)} of two {@code [B, C, H, W]} tensors: diffusers' moments. */
    private static FloatTensor stackChannels(FloatTensor a, FloatTensor b) {
        int batch = a.dim(0);
        int itemA = a.itemSize();
        int itemB = b.itemSize();
        float[] out = new float[batch * (itemA + itemB)];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(a.data(), i * itemA, out, i * (itemA + itemB), itemA);
            System.arraycopy(b.data(), i * itemB, out, i * (itemA + itemB) + itemA, itemB);
        }
        return new FloatTensor(out, new int[] {batch, a.dim(1) + b.dim(1), a.dim(2), a.dim(3)});
    }

    /** Channels {@code [from, to)} of {@code [B, C, H, W]}. */
    private static FloatTensor channelSlice(FloatTensor t, int from, int to) {
        int batch = t.dim(0);
        int channels = t.dim(1);
        int plane = t.dim(2) * t.dim(3);
        int count = to - from;
        float[] out = new float[batch * count * plane];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(t.data(), (b * channels + from) * plane, out, b * count * plane, count * plane);
        }
        return new FloatTensor(out, new int[] {batch, count, t.dim(2), t.dim(3)});
    }
}
