package io.github.sdm.core.image;

import io.github.sdm.core.error.SdmException;

/** Checks on image dimensions: Stable Diffusion's VAE works on multiples of 8 pixels. */
public final class ImageSizes {
    private ImageSizes() {
    }

    /**
     * Returns {@code value} if it is a positive multiple of 8, else fails naming {@code name} and the nearest sizes.
     *
     * @param name the dimension, as the message names it (e.g. {@code "width"})
     * @param value the size in pixels
     * @return {@code value}
     * @throws SdmException if {@code value} is not positive or not a multiple of 8
     */
    public static int requireMultipleOf8(String name, int value) {
        if (value <= 0) {
            throw new SdmException(name + " must be a positive multiple of 8, got " + value);
        }
        if (value % 8 != 0) {
            int below = value / 8 * 8;
            int above = below + 8;
            throw new SdmException(name + " must be a multiple of 8, got " + value + " (nearest: "
                    + (below > 0 ? below + " or " : "") + above + ")");
        }
        return value;
    }

    /**
     * The largest multiple of 8 not above {@code value} (at least 8), as diffusers rounds an init image's size.
     *
     * @param value a size in pixels
     * @return the rounded size, at least 8
     */
    public static int floorToMultipleOf8(int value) {
        return Math.max(8, value / 8 * 8);
    }
}
