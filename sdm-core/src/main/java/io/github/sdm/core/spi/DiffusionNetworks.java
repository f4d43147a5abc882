package io.github.sdm.core.spi;

/** The loaded networks of one model; closing frees their weights. */
public interface DiffusionNetworks extends AutoCloseable {

    TextEncoderNetwork textEncoder();

    DenoiserNetwork unet();

    AutoencoderNetwork vae();

    @Override
    void close();
}
