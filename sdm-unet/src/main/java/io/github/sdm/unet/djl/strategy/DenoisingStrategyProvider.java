package io.github.sdm.unet.djl.strategy;

import ai.djl.ndarray.NDManager;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.SessionExtension;
import java.util.Optional;

/**
 * Turns the {@link SessionExtension}s of a UNet session into a {@link DenoisingStrategy}; found with
 * {@link java.util.ServiceLoader} (register the implementation in
 * {@code META-INF/services/io.github.sdm.unet.djl.strategy.DenoisingStrategyProvider}). {@code sdm-inheritance}
 * provides the one for feature inheritance.
 */
public interface DenoisingStrategyProvider {

    /**
     * Providers are asked in descending priority (then classpath order). One that composes the others' strategies
     * (multi-UNet switching builds a strategy per UNet) ranks above them; the default is 0.
     */
    default int priority() {
        return 0;
    }

    /** Whether this provider acts on {@code extension} (so it is not reported as unhandled). */
    boolean handles(SessionExtension extension);

    /**
     * The strategy for one generation, or empty when {@code options} carry none of the extensions this
     * provider handles.
     *
     * @param options the generation's call count and extensions
     * @param parentManager the strategy keeps its caches in a sub-manager of this one
     * @throws io.github.sdm.core.error.SdmException if a handled extension cannot be executed
     */
    Optional<DenoisingStrategy> create(DenoiserSessionOptions options, NDManager parentManager);
}
