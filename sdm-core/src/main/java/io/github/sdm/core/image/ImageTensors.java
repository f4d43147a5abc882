package io.github.sdm.core.image;

import io.github.sdm.core.error.SdmException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversions between RGB images and NCHW float tensors, with the arithmetic of diffusers'
 * {@code VaeImageProcessor} so that pixels match exactly.
 */
public final class ImageTensors {
    private ImageTensors() {
    }

    /**
     * Images from an {@code [batch, 3, height, width]} tensor in [0, 1], as {@code numpy_to_pil}: clamp to
     * [0, 1], then {@code round(x * 255)} with ties to even (float32 arithmetic, as numpy).
     *
     * @param nchw the tensor's elements, row-major
     * @param batch the number of images
     * @param height the image height in pixels
     * @param width the image width in pixels
     * @return {@code batch} RGB images ({@link BufferedImage#TYPE_INT_RGB})
     * @throws SdmException if the length does not fit the shape, or a value is NaN (a diverged sampler or an fp16
     *     VAE overflow), which diffusers would silently turn into black pixels
     */
    public static List<BufferedImage> toImages(float[] nchw, int batch, int height, int width) {
        long expected = (long) batch * 3 * height * width;
        if (batch <= 0 || height <= 0 || width <= 0 || nchw.length != expected) {
            throw new SdmException("Image tensor of " + nchw.length + " values does not have shape [" + batch + ", 3, "
                    + height + ", " + width + "]");
        }
        List<BufferedImage> images = new ArrayList<>(batch);
        int plane = height * width;
        for (int n = 0; n < batch; n++) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            int base = n * 3 * plane;
            int[] rgb = new int[plane];
            for (int i = 0; i < plane; i++) {
                int r = toByte(nchw[base + i], n, i);
                int g = toByte(nchw[base + plane + i], n, i);
                int b = toByte(nchw[base + 2 * plane + i], n, i);
                rgb[i] = (r << 16) | (g << 8) | b;
            }
            image.setRGB(0, 0, width, height, rgb, 0, width);
            images.add(image);
        }
        return images;
    }

    /**
     * One image from a {@code [3, height, width]} (or {@code [1, 3, height, width]}) tensor in [0, 1], as
     * {@link #toImages} converts it.
     *
     * @param chw the tensor's elements, row-major
     * @param height the image height in pixels
     * @param width the image width in pixels
     * @return an RGB image
     * @throws SdmException if the length does not fit the shape, or a value is NaN
     */
    public static BufferedImage toImage(float[] chw, int height, int width) {
        return toImages(chw, 1, height, width).get(0);
    }

    /**
     * The decoder's output in [-1, 1] to [0, 1], as {@code VaeImageProcessor.denormalize}: {@code x / 2 + 0.5},
     * clamped. NaN stays NaN, for {@link #toImages} to report.
     *
     * @param minusOneToOne the decoder's output
     * @return a new array in [0, 1]
     */
    public static float[] denormalize(float[] minusOneToOne) {
        float[] out = new float[minusOneToOne.length];
        for (int i = 0; i < out.length; i++) {
            float v = minusOneToOne[i] / 2f + 0.5f;
            out[i] = v < 0f ? 0f : v > 1f ? 1f : v; // NaN passes through, for toImages to report
        }
        return out;
    }

    /**
     * {@code [1, 3, height, width]} in [0, 1]: each sample over its largest value, in float32. For 8-bit images
     * that is {@code byte / 255}, as {@code pil_to_numpy}; 16-bit images keep their full precision
     * ({@code sample / 65535}). Grey is replicated into R, G and B; alpha is dropped.
     *
     * @param image any image
     * @return {@code 3 * height * width} values in [0, 1], channels R, G, B
     */
    public static float[] toUnitRange(BufferedImage image) {
        int width = image.getWidth();
        int plane = width * image.getHeight();
        float[] out = new float[3 * plane];
        if (holdsPlainSamples(image)) {
            for (int c = 0; c < 3; c++) {
                float largest = largestSample(image, c);
                int[] samples = channelSamples(image, c);
                for (int i = 0; i < plane; i++) {
                    out[c * plane + i] = samples[i] / largest;
                }
            }
            return out;
        }
        int[] rgb = rgbPixels(image);
        for (int i = 0; i < plane; i++) {
            out[i] = ((rgb[i] >> 16) & 0xff) / 255f;
            out[plane + i] = ((rgb[i] >> 8) & 0xff) / 255f;
            out[2 * plane + i] = (rgb[i] & 0xff) / 255f;
        }
        return out;
    }

    /**
     * {@code [1, 3, height, width]} in [-1, 1] for the VAE encoder: {@code 2 * (byte / 255) - 1} in float32, as
     * {@code VaeImageProcessor.preprocess} computes it.
     *
     * @param image any image
     * @return {@code 3 * height * width} values in [-1, 1], channels R, G, B
     */
    public static float[] toSignedUnitRange(BufferedImage image) {
        float[] out = toUnitRange(image);
        for (int i = 0; i < out.length; i++) {
            out[i] = 2f * out[i] - 1f;
        }
        return out;
    }

    /**
     * The image's pixels as 0xRRGGBB, row-major, the way PIL's {@code convert("RGB")} sees them: alpha is
     * dropped (not composited), grey is replicated into R, G and B, and 16-bit samples are scaled to 8 bits.
     * (Java's {@code getRGB} would treat grey as linear light and brighten it.)
     */
    static int[] rgbPixels(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] rgb = new int[width * height];
        if (holdsPlainSamples(image)) {
            for (int c = 0; c < 3; c++) {
                int largest = largestSample(image, c);
                int[] samples = channelSamples(image, c);
                for (int i = 0; i < rgb.length; i++) {
                    int value = largest == 255 ? samples[i] : (samples[i] * 255 + largest / 2) / largest;
                    rgb[i] |= value << (16 - 8 * c);
                }
            }
            return rgb;
        }
        image.getRGB(0, 0, width, height, rgb, 0, width);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] &= 0xffffff;
        }
        return rgb;
    }

    /**
     * Whether the raster holds grey or RGB samples (8 or 16 bits, alpha optional, not premultiplied) that mean
     * what they say, so they are read as they are instead of through Java's colour management. Palette and
     * packed-int images go through {@code getRGB}, which is exact for them.
     */
    private static boolean holdsPlainSamples(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        if (!(cm instanceof ComponentColorModel) || cm.isAlphaPremultiplied()) {
            return false;
        }
        int transfer = cm.getTransferType();
        if (transfer != DataBuffer.TYPE_BYTE && transfer != DataBuffer.TYPE_USHORT) {
            return false;
        }
        ColorSpace space = cm.getColorSpace();
        return (space.getType() == ColorSpace.TYPE_GRAY && space.getNumComponents() == 1)
                || (space.getType() == ColorSpace.TYPE_RGB && space.getNumComponents() == 3);
    }

    /** The raster's samples for colour channel {@code c} (0 red, 1 green, 2 blue); a grey band stands for all three. */
    private static int[] channelSamples(BufferedImage image, int c) {
        return image.getRaster().getSamples(0, 0, image.getWidth(), image.getHeight(), band(image, c), (int[]) null);
    }

    /** The value of a full-intensity sample of colour channel {@code c}: 255 for 8 bits, 65535 for 16. */
    private static int largestSample(BufferedImage image, int c) {
        return (1 << image.getColorModel().getComponentSize(band(image, c))) - 1;
    }

    private static int band(BufferedImage image, int c) {
        return image.getColorModel().getColorSpace().getNumComponents() == 1 ? 0 : c;
    }

    private static int toByte(float v, int imageIndex, int pixel) {
        if (Float.isNaN(v)) {
            throw new SdmException("Image " + imageIndex + " has NaN at pixel " + pixel
                    + " (row-major); the sampler or the VAE diverged (an fp16 VAE overflowing is a common cause)");
        }
        float clamped = v < 0f ? 0f : v > 1f ? 1f : v;
        return (int) Math.rint(clamped * 255f);
    }
}
