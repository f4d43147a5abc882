package io.github.sdm.core;

/** The timed stages of a generation, in the order they first run. */
enum Stage {
    /** Tokenizing and encoding prompt and negative prompt. */
    TEXT_ENCODING,
    /** VAE encoding of the init image (img2img only). */
    IMAGE_ENCODING,
    /** Sampler arithmetic around a UNet call: input scaling, guidance, the step itself. */
    SAMPLER,
    /** One UNet call. */
    UNET_CALL,
    /** VAE decoding of the final latents and conversion to images. */
    IMAGE_DECODING,
    /** Loading a network before its stage and releasing it after ({@code Residency.PER_STAGE}). */
    NETWORK_RESIDENCY
}
