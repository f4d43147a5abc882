package io.github.sdm.core.spi;

/**
 * What a UNet session knows of the generation it serves.
 *
 * @param modelCalls the number of UNet calls the sampler will make (one per timestep entry)
 */
public record DenoiserSessionOptions(int modelCalls) {
}
