package io.github.sdm.core.spi;

/** The UNet. Calls go through a session so that per-generation state (caches, scratch memory) has an owner. */
public interface DenoiserNetwork {

    /**
     * Opens the state of one generation; the pipeline closes it when the generation ends.
     *
     * @param options the generation's call count and extensions
     * @return a session for one thread
     * @throws io.github.sdm.core.error.SdmException if the backend cannot honour an extension
     */
    DenoiserSession openSession(DenoiserSessionOptions options);

    /**
     * Latent channels the network takes (4 for SD 1.x and 2.x).
     *
     * @return the input channel count
     */
    int inChannels();

    /**
     * The latent side the model was trained at ({@code sample_size}); images default to the VAE's downscale
     * factor times this.
     *
     * @return the config's {@code sample_size} (64 for SD 1.5)
     */
    int sampleSize();
}
