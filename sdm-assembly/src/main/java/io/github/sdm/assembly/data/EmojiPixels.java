package io.github.sdm.assembly.data;

import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.image.PngFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * An emoji PNG as the networks see it: alpha composited over white, box-averaged down to {@code size} (a
 * divisor of the PNG's side: 64 to 32 averages 2x2 pixels), as RGB bytes {@code [3, size, size]} (planar).
 */
public final class EmojiPixels {
    private EmojiPixels() {
    }

    /** Reads {@code file} (square, its side a multiple of {@code size}); errors name the file. */
    public static byte[] read(Path file, int size) {
        BufferedImage image = PngFiles.read(file);
        int side = image.getWidth();
        if (image.getHeight() != side || side % size != 0) {
            throw new SdmException(file + ": the image is " + image.getWidth() + "x" + image.getHeight()
                    + "; emoji images must be square with a side that is a multiple of the training size " + size);
        }
        int factor = side / size;
        double[] sums = new double[3 * size * size];
        int plane = size * size;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int argb = image.getRGB(x, y); // sRGB, not premultiplied
                double alpha = (argb >>> 24) / 255.0;
                int i = (y / factor) * size + x / factor;
                for (int c = 0; c < 3; c++) {
                    int value = (argb >> (16 - 8 * c)) & 0xff;
                    sums[c * plane + i] += alpha * value + (1 - alpha) * 255.0;
                }
            }
        }
        byte[] rgb = new byte[sums.length];
        double area = factor * factor;
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) Math.round(sums[i] / area);
        }
        return rgb;
    }

    /** Planar RGB bytes to floats in [-1, 1], the VAE's input range, written at {@code offset}. */
    public static void toSignedUnitRange(byte[] rgb, float[] out, int offset) {
        for (int i = 0; i < rgb.length; i++) {
            out[offset + i] = (rgb[i] & 0xff) / 127.5f - 1f;
        }
    }
}
