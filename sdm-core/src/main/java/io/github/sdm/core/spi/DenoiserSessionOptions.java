package io.github.sdm.core.spi;

import io.github.sdm.core.InvalidRequestException;
import io.github.sdm.core.inheritance.FeatureInheritance;

/**
 * What a UNet session knows of the generation it serves.
 *
 * @param modelCalls the number of UNet calls the sampler will make (one per timestep entry)
 * @param inheritance which activations to reuse across calls, or null to compute every call in full
 */
public record DenoiserSessionOptions(int modelCalls, FeatureInheritance inheritance) {

    public DenoiserSessionOptions {
        if (modelCalls < 0) {
            throw new InvalidRequestException("modelCalls must be >= 0, got " + modelCalls);
        }
    }

    /** Every call computed in full (no feature inheritance). */
    public DenoiserSessionOptions(int modelCalls) {
        this(modelCalls, null);
    }
}
