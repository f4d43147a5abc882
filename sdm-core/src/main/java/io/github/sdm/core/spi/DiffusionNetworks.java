package io.github.sdm.core.spi;

import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoraAdapter;
import java.util.List;

/**
 * The loaded networks of one model; closing frees their weights.
 *
 * <p>A backend whose {@link ModelBackend#releasesPerStage()} is true can also {@linkplain #release(NetworkRole)
 * release} one network's weights and {@linkplain #load(NetworkRole) load} them again (stage residency). The
 * network objects stay the same throughout: their sizes and factors ({@code latentChannels()},
 * {@code sampleSize()}, {@code numHiddenLayers()}, ...) answer from the configs whether or not the weights are
 * loaded, while their calls ({@code encode}, {@code openSession}, {@code decode}, ...) need them loaded. The
 * pipeline decides when; it never releases a network while a call or session of it runs, and never calls
 * {@code load} and {@code release} of one network at the same time.
 */
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
     * Makes a released network's weights resident again; nothing happens when they are resident. The default,
     * for a backend that never releases, does nothing.
     *
     * @param role the network
     * @throws io.github.sdm.core.error.ModelFormatException if the weights cannot be read again
     */
    default void load(NetworkRole role) {
    }

    /**
     * Frees one network's weights until {@link #load(NetworkRole)}; its size methods keep answering, its calls
     * fail meanwhile. Nothing happens when the network is already released.
     *
     * @param role the network
     * @throws SdmException if this backend cannot release networks (the default)
     */
    default void release(NetworkRole role) {
        throw new SdmException("this backend keeps its networks resident and cannot release the " + role);
    }

    /**
     * Frees the networks' weights, loaded or released; no network may be used afterwards.
     */
    @Override
    void close();

    /**
     * Merges LoRA adapters into the loaded weights; the caller guarantees that no generation runs meanwhile (nor
     * until the returned undo has run, if it unmerges while generations could run). Merges undo in reverse order.
     *
     * @param adapters the adapters, each with its multiplier
     * @return puts the weights back exactly as they were before this merge
     * @throws SdmException if this backend cannot merge adapters (the default), or a file does not fit the model
     */
    default Runnable mergeLora(List<LoraAdapter> adapters) {
        throw new SdmException("this backend cannot merge LoRA adapters into a loaded model");
    }
}
