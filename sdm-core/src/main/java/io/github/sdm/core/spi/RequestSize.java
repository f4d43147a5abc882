package io.github.sdm.core.spi;

/**
 * The sizes of one generation that decide how much memory it needs (see
 * {@link DiffusionNetworks#activationBytes}). Products of them are taken with {@link #product}, which saturates
 * instead of wrapping around: an absurd request (batch {@code Integer.MAX_VALUE}, 100000 pixels a side) must
 * come out as an absurd size, not a negative one.
 *
 * @param batch images generated at once
 * @param guidance whether classifier-free guidance runs the UNet on twice the batch
 * @param latentChannels channels of the latents
 * @param latentHeight latent rows of one image
 * @param latentWidth latent columns of one image
 * @param downscaleFactor image pixels per latent, per side (the VAE's factor)
 */
public record RequestSize(int batch, boolean guidance, int latentChannels, int latentHeight, int latentWidth,
        int downscaleFactor) {

    /**
     * The batch the UNet runs on.
     *
     * @return twice the images under guidance (negative and positive halves), else the images
     */
    public long unetBatch() {
        return guidance ? 2L * batch : batch;
    }

    /**
     * @return image rows of one image, in pixels
     */
    public long imageHeight() {
        return (long) latentHeight * downscaleFactor;
    }

    /**
     * @return image columns of one image, in pixels
     */
    public long imageWidth() {
        return (long) latentWidth * downscaleFactor;
    }

    /**
     * @return floats in the latents of the whole batch (saturated)
     */
    public long latentFloats() {
        return product(batch, latentChannels, latentHeight, latentWidth);
    }

    /**
     * @return floats in the decoded batch as RGB tensors (saturated)
     */
    public long imageFloats() {
        return product(batch, 3, imageHeight(), imageWidth());
    }

    /**
     * The product of non-negative factors.
     *
     * @param factors non-negative numbers
     * @return their product, or {@link Long#MAX_VALUE} where it would overflow
     */
    public static long product(long... factors) {
        long result = 1;
        for (long f : factors) {
            if (f != 0 && result > Long.MAX_VALUE / f) {
                return Long.MAX_VALUE;
            }
            result *= f;
        }
        return result;
    }

    /**
     * The sum of non-negative terms.
     *
     * @param terms non-negative numbers
     * @return their sum, or {@link Long#MAX_VALUE} where it would overflow
     */
    public static long sum(long... terms) {
        long result = 0;
        for (long t : terms) {
            result = t > Long.MAX_VALUE - result ? Long.MAX_VALUE : result + t;
        }
        return result;
    }
}
