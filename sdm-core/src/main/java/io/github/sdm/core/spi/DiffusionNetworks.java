package io.github.sdm.core.spi;

/** The loaded networks of one model; closing frees their weights. */
public interface DiffusionNetworks extends AutoCloseable {

    TextEncoderNetwork textEncoder();

    DenoiserNetwork unet();

    AutoencoderNetwork vae();

    /**
     * About how many bytes of engine (native) memory one generation of this size needs at its peak beyond the
     * weights, so that a request too big for the machine is refused before it starts instead of ending in an
     * out-of-memory error. A backend that knows its networks' layers refines it; this default counts only what
     * every backend holds: the UNet's input and output latents and the decoded images, as floats.
     */
    default long activationBytes(RequestSize size) {
        long unetLatents = RequestSize.product(size.unetBatch(), size.latentChannels(), size.latentHeight(),
                size.latentWidth());
        return RequestSize.product(Float.BYTES, RequestSize.sum(unetLatents, unetLatents, size.imageFloats()));
    }

    @Override
    void close();
}
