package io.github.sdm.core.image;

import io.github.sdm.core.error.SdmException;
import java.awt.image.BufferedImage;

/**
 * Resizes RGB images with Pillow's {@code Image.resize(size, Image.LANCZOS)} algorithm, which diffusers'
 * {@code VaeImageProcessor} uses for init images: a separable Lanczos-3 filter widened by the scale factor
 * when shrinking (so it antialiases), 22-bit fixed-point weights, horizontal pass first, 8-bit rounding
 * between the passes. The result matches Pillow's pixel for pixel.
 */
public final class LanczosResize {
    private static final double SUPPORT = 3.0;
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private LanczosResize() {
    }

    /**
     * Resizes an image as Pillow's {@code resize((width, height), Image.LANCZOS)} does, after converting it to
     * RGB as Pillow's {@code convert("RGB")} does (alpha dropped, grey replicated).
     *
     * @param image any image
     * @param width the target width in pixels
     * @param height the target height in pixels
     * @return a new RGB image of that size
     * @throws SdmException if {@code width} or {@code height} is not positive
     */
    public static BufferedImage resize(BufferedImage image, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new SdmException("Resize target must be positive, got " + width + "x" + height);
        }
        int inWidth = image.getWidth();
        int inHeight = image.getHeight();
        int[] pixels = ImageTensors.rgbPixels(image);
        int[][] channels = new int[3][];
        for (int c = 0; c < 3; c++) {
            int shift = 16 - 8 * c;
            int[] plane = new int[pixels.length];
            for (int i = 0; i < plane.length; i++) {
                plane[i] = (pixels[i] >> shift) & 0xff;
            }
            if (width != inWidth) {
                plane = horizontal(plane, inWidth, inHeight, width);
            }
            if (height != inHeight) {
                plane = vertical(plane, width, inHeight, height);
            }
            channels[c] = plane;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[width * height];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (channels[0][i] << 16) | (channels[1][i] << 8) | channels[2][i];
        }
        out.setRGB(0, 0, width, height, rgb, 0, width);
        return out;
    }

    private static int[] horizontal(int[] in, int inWidth, int rows, int outWidth) {
        Coefficients k = Coefficients.of(inWidth, outWidth);
        int[] out = new int[outWidth * rows];
        for (int y = 0; y < rows; y++) {
            int row = y * inWidth;
            for (int x = 0; x < outWidth; x++) {
                int sum = 1 << (PRECISION_BITS - 1);
                int base = x * k.size;
                for (int i = 0; i < k.count[x]; i++) {
                    sum += in[row + k.first[x] + i] * k.weights[base + i];
                }
                out[y * outWidth + x] = clip8(sum);
            }
        }
        return out;
    }

    private static int[] vertical(int[] in, int columns, int inHeight, int outHeight) {
        Coefficients k = Coefficients.of(inHeight, outHeight);
        int[] out = new int[columns * outHeight];
        for (int y = 0; y < outHeight; y++) {
            int base = y * k.size;
            for (int x = 0; x < columns; x++) {
                int sum = 1 << (PRECISION_BITS - 1);
                for (int i = 0; i < k.count[y]; i++) {
                    sum += in[(k.first[y] + i) * columns + x] * k.weights[base + i];
                }
                out[y * columns + x] = clip8(sum);
            }
        }
        return out;
    }

    private static int clip8(int fixedPoint) {
        int v = fixedPoint >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static double lanczos(double x) {
        return -SUPPORT <= x && x < SUPPORT ? sinc(x) * sinc(x / SUPPORT) : 0.0;
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        x *= Math.PI;
        return Math.sin(x) / x;
    }

    /** Per output pixel: the first input pixel, how many contribute, and their fixed-point weights. */
    private static final class Coefficients {
        final int size;
        final int[] first;
        final int[] count;
        final int[] weights;

        private Coefficients(int size, int outSize) {
            this.size = size;
            this.first = new int[outSize];
            this.count = new int[outSize];
            this.weights = new int[size * outSize];
        }

        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = SUPPORT * filterScale;
            double reciprocal = 1.0 / filterScale; // multiplied, not divided, as Pillow does, for identical weights
            Coefficients k = new Coefficients((int) Math.ceil(support) * 2 + 1, outSize);
            double[] w = new double[k.size];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
                double total = 0.0;
                for (int x = 0; x < xmax; x++) {
                    w[x] = lanczos((x + xmin - center + 0.5) * reciprocal);
                    total += w[x];
                }
                for (int x = 0; x < xmax; x++) {
                    double normalised = total != 0.0 ? w[x] / total : w[x];
                    double fixed = normalised * (1 << PRECISION_BITS);
                    k.weights[xx * k.size + x] = (int) (normalised < 0 ? fixed - 0.5 : fixed + 0.5);
                }
                k.first[xx] = xmin;
                k.count[xx] = xmax;
            }
            return k;
        }
    }
}
