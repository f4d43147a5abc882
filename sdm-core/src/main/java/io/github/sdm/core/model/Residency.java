package io.github.sdm.core.model;

/**
 * When a loaded model's networks hold their weights in memory.
 *
 * <p>{@link #RESIDENT} keeps all three (text encoder, UNet, VAE) loaded from load to close: the highest
 * throughput, for servers. {@link #PER_STAGE} loads each network only for the stage that uses it and releases it
 * after (the text encoder for the prompt, the UNet for the denoising loop, the VAE for encoding the init image
 * and for decoding), so the peak memory of a generation is that of its largest stage rather than of all the
 * weights together. Memory-mapped weights make the reload cheap: the file stays in the page cache.
 *
 * <p>Under {@link #PER_STAGE}, generations running at once share what is loaded: a network is loaded once for
 * all stages that use it at the same time and released only when no running generation still needs it, so
 * overlapping generations do not reload it one after the other, and nothing is freed under a running call.
 * A backend that cannot release its networks refuses {@link #PER_STAGE} at load.
 */
public enum Residency {
    /** All networks stay loaded until the model is closed (the default). */
    RESIDENT,
    /** Each network is loaded for its stage and released after it, once no running generation needs it. */
    PER_STAGE
}
