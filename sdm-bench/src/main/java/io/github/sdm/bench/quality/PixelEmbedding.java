package io.github.sdm.bench.quality;

/**
 * The fixed image embedding of the yardstick: the picture box-averaged down to {@value #SIDE}x{@value #SIDE}
 * RGB, values in [0, 1], planar ({@code 3 * SIDE * SIDE} numbers), compared by Euclidean (L2) distance. It needs
 * no trained network, so it means the same for every model measured.
 */
public final class PixelEmbedding implements ImageEmbedding {
    /** The embedding (it holds no state). */
    public static final PixelEmbedding INSTANCE = new PixelEmbedding();
    /** The side of the embedded picture. */
    public static final int SIDE = 16;
    /** The length of an embedding. */
    public static final int LENGTH = 3 * SIDE * SIDE;

    private PixelEmbedding() {
    }

    @Override
    public String description() {
        return "pictures box-averaged to " + SIDE + "x" + SIDE + " RGB in [0, 1], L2 distance";
    }

    @Override
    public int realSide(int generatedSide) {
        return SIDE;
    }

    @Override
    public float[] embed(float[] chw, int side) {
        return of(chw, side);
    }

    /**
     * Embeds a planar RGB picture {@code [3, side, side]} in [0, 1], {@code side} a multiple of {@value #SIDE}.
     */
    public static float[] of(float[] chw, int side) {
        if (side % SIDE != 0 || chw.length != 3 * side * side) {
            throw new IllegalArgumentException("the pixel embedding needs a square RGB picture whose side is a "
                    + "multiple of " + SIDE + "; got " + chw.length + " values for side " + side);
        }
        int factor = side / SIDE;
        float[] out = new float[LENGTH];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    out[c * SIDE * SIDE + (y / factor) * SIDE + x / factor] += chw[(c * side + y) * side + x];
                }
            }
        }
        float area = factor * factor;
        for (int i = 0; i < out.length; i++) {
            out[i] /= area;
        }
        return out;
    }

    /** Squared Euclidean distance. */
    public static double squaredDistance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }
}
