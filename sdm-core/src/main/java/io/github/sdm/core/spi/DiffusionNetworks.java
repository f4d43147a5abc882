package io.github.sdm.core.spi;

import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoraAdapter;
import java.util.List;

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
