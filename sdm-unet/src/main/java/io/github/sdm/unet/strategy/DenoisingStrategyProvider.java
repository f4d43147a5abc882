package io.github.sdm.unet.strategy;

import ai.djl.ndarray.NDManager;
import io.github.sdm.core.inheritance.FeatureInheritance;

/**
 * Executes {@link FeatureInheritance} settings; found with {@link java.util.ServiceLoader} (register the
 * implementation in {@code META-INF/services/io.github.sdm.unet.strategy.DenoisingStrategyProvider}).
 */
public interface DenoisingStrategyProvider {

    /**
     * The strategy for one generation.
     *
     * @param spec what to reuse and when
     * @param totalCalls the number of UNet calls the generation will make
     * @param parentManager the strategy keeps its caches in a sub-manager of this one
     * @throws io.github.sdm.core.SdmException if {@code spec} cannot be executed
     */
    DenoisingStrategy create(FeatureInheritance spec, int totalCalls, NDManager parentManager);
}
