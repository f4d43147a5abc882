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
     * Frees the networks' weights; no network may be used afterwards.
     */
    @Override
    void close();
}
