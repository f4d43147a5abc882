package io.github.sdm.core.spi;

/** The loaded networks of one model; closing frees their weights. */
public interface DiffusionNetworks extends AutoCloseable {

    /**
     * The text encoder.
     *
     * @return the loaded CLIP text encoder
     */
    TextEncoderNetwork textEncoder();

    /**
     * The denoiser.
     *
     * @return the loaded UNet
     */
    DenoiserNetwork unet();

    /**
     * The autoencoder.
     *
     * @return the loaded VAE
     */
    AutoencoderNetwork vae();

    /**
     * About how many bytes of engine (native) memory one generation of this size needs at its peak beyond the
     * weights, so that a request too big for the machine is refused before it starts instead of ending in an
     * out-of-memory error. A backend that knows its networks' layers refines it; this default counts only what
     * every backend holds: the UNet's input and output latents and the decoded images, as floats.
     *
     * @param size the generation's batch, latent and image sizes
     * @return the estimate in bytes, saturated at {@link Long#MAX_VALUE} rather than overflowing
     */
    default long activationBytes(RequestSize size) {
        long unetLatents = RequestSize.product(size.unetBatch(), size.latentChannels(), size.latentHeight(),
                size.latentWidth());
        return RequestSize.product(Float.BYTES, RequestSize.sum(unetLatents, unetLatents, size.imageFloats()));
    }

    /**
     * Frees the networks' weights; no network may be used afterwards.
     */
    @Override
    void close();
}
