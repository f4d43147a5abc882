package io.github.sdm.unet.tiling;

import io.github.sdm.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * diffusers' tiled VAE pass (v0.27.2 {@code AutoencoderKL.tiled_decode} / {@code tiled_encode}) over
 * {@code [B, C, H, W]} tensors, for any per-tile network: the input is cut into tiles of {@code inTile} per side
 * starting every {@code int(inTile * (1 - overlap))} (tiles at the bottom and right edges are cut short by the
 * input), each tile runs alone, and every result tile is blended with the blended tile above ({@code blend_v})
 * and then with the blended tile to its left ({@code blend_h}) over {@code int(outTile * overlap)} rows or
 * columns, then cropped to {@code outTile - blend} per side and put in place.
 *
 * <p>diffusers blends in place, so the tile above is the already blended one; this pass keeps that order and
 * its arithmetic ({@code a * (1 - k/n) + b * (k/n)} in float32, the weights rounded to float32 first), one row
 * of tiles at a time.
 */
public final class TiledPass {
    private final int inTile;
    private final int outTile;
    private final int stride;
    private final int blend;
    private final int keep;

    /**
     * @param inTile input elements per tile side ({@code tile_sample_min_size} to encode,
     *     {@code tile_latent_min_size} to decode)
     * @param outTile output elements per tile side (the other of the two)
     * @param overlap {@code tile_overlap_factor}
     */
    public TiledPass(int inTile, int outTile, double overlap) {
        this.inTile = inTile;
        this.outTile = outTile;
        this.stride = (int) (inTile * (1 - overlap));
        this.blend = (int) (outTile * overlap);
        this.keep = outTile - blend;
        if (stride <= 0 || keep <= 0) {
            throw new IllegalArgumentException("tiles of " + inTile + " -> " + outTile + " with overlap " + overlap
                    + " leave no stride or nothing to keep");
        }
    }

    /**
     * Runs {@code network} on each tile of {@code input} and assembles the blended result.
     *
     * @param input {@code [B, C, H, W]}
     * @param network one tile {@code [B, C, h, w]} to its result {@code [B, C', h * outTile / inTile, ...]}
     * @return {@code [B, C', sum of the rows' kept heights, sum of the columns' kept widths]}
     */
    public FloatTensor apply(FloatTensor input, UnaryOperator<FloatTensor> network) {
        int height = input.dim(2);
        int width = input.dim(3);
        List<FloatTensor> above = null;
        List<FloatTensor> keptRows = new ArrayList<>();
        for (int top = 0; top < height; top += stride) {
            List<FloatTensor> row = new ArrayList<>();
            for (int left = 0; left < width; left += stride) {
                FloatTensor tile = network.apply(crop(input, top, left, inTile, inTile));
                if (above != null) {
                    blendRows(above.get(row.size()), tile, blend);
                }
                if (!row.isEmpty()) {
                    blendColumns(row.get(row.size() - 1), tile, blend);
                }
                row.add(tile);
            }
            keptRows.add(keptRow(row));
            above = row;
        }
        return concat(keptRows, 2);
    }

    /** The row's tiles cropped to {@code keep} per side and put side by side. */
    private FloatTensor keptRow(List<FloatTensor> row) {
        List<FloatTensor> kept = new ArrayList<>(row.size());
        for (FloatTensor tile : row) {
            kept.add(crop(tile, 0, 0, keep, keep));
        }
        return concat(kept, 3);
    }

    /** {@code blend_v}: the first rows of {@code below} fade in from the last rows of {@code above}, in place. */
    static void blendRows(FloatTensor above, FloatTensor below, int extent) {
        int n = Math.min(Math.min(above.dim(2), below.dim(2)), extent);
        int planes = below.dim(0) * below.dim(1);
        int width = below.dim(3);
        int aboveHeight = above.dim(2);
        int belowHeight = below.dim(2);
        float[] a = above.data();
        float[] b = below.data();
        for (int y = 0; y < n; y++) {
            float keepAbove = (float) (1 - (double) y / n);
            float takeBelow = (float) ((double) y / n);
            for (int p = 0; p < planes; p++) {
                int from = (p * aboveHeight + aboveHeight - n + y) * width;
                int to = (p * belowHeight + y) * width;
                for (int x = 0; x < width; x++) {
                    b[to + x] = a[from + x] * keepAbove + b[to + x] * takeBelow;
                }
            }
        }
    }

    /** {@code blend_h}: the first columns of {@code right} fade in from the last columns of {@code left}, in place. */
    static void blendColumns(FloatTensor left, FloatTensor right, int extent) {
        int n = Math.min(Math.min(left.dim(3), right.dim(3)), extent);
        int rows = right.dim(0) * right.dim(1) * right.dim(2);
        int leftWidth = left.dim(3);
        int rightWidth = right.dim(3);
        float[] a = left.data();
        float[] b = right.data();
        for (int x = 0; x < n; x++) {
            float keepLeft = (float) (1 - (double) x / n);
            float takeRight = (float) ((double) x / n);
            for (int r = 0; r < rows; r++) {
                int to = r * rightWidth + x;
                b[to] = a[r * leftWidth + leftWidth - n + x] * keepLeft + b[to] * takeRight;
            }
        }
    }

    /** {@code t[:, :, top:top+h, left:left+w]}, cut short by the tensor's edges as Python slicing is. */
    static FloatTensor crop(FloatTensor t, int top, int left, int h, int w) {
        int planes = t.dim(0) * t.dim(1);
        int height = t.dim(2);
        int width = t.dim(3);
        int rows = Math.min(h, height - top);
        int cols = Math.min(w, width - left);
        float[] out = new float[planes * rows * cols];
        float[] in = t.data();
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < rows; y++) {
                System.arraycopy(in, (p * height + top + y) * width + left, out, (p * rows + y) * cols, cols);
            }
        }
        return new FloatTensor(out, new int[] {t.dim(0), t.dim(1), rows, cols});
    }

    /** {@code torch.cat(parts, axis)} for axis 2 (rows) or 3 (columns) of {@code [B, C, H, W]} tensors. */
    static FloatTensor concat(List<FloatTensor> parts, int axis) {
        FloatTensor first = parts.get(0);
        int planes = first.dim(0) * first.dim(1);
        int height = axis == 2 ? parts.stream().mapToInt(t -> t.dim(2)).sum() : first.dim(2);
        int width = axis == 3 ? parts.stream().mapToInt(t -> t.dim(3)).sum() : first.dim(3);
        float[] out = new float[planes * height * width];
        for (int p = 0; p < planes; p++) {
            int offset = p * height * width;
            for (FloatTensor part : parts) {
                int partHeight = part.dim(2);
                int partWidth = part.dim(3);
                for (int y = 0; y < partHeight; y++) {
                    System.arraycopy(part.data(), (p * partHeight + y) * partWidth, out, offset + y * width, partWidth);
                }
                offset += axis == 2 ? partHeight * width : partWidth;
            }
        }
        return new FloatTensor(out, new int[] {first.dim(0), first.dim(1), height, width});
    }
}
