package io.github.sdm.core.spi;

/**
 * The three networks of a model, as {@link DiffusionNetworks#load(NetworkRole)} and
 * {@link DiffusionNetworks#release(NetworkRole)} name them for stage residency.
 */
public enum NetworkRole {
    /** The text encoder, used by the prompt's stage. */
    TEXT_ENCODER,
    /** The UNet, used by the denoising loop. */
    UNET,
    /** The VAE, used by the init image's encoding (img2img) and by the decoding. */
    VAE
}
