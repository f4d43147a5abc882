package io.github.sdm.unet.graph.strategy;

import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.SessionExtension;
import java.util.Optional;

/**
 * Turns the {@link SessionExtension}s of a UNet session on built graphs into a {@link GraphStrategy}; found with
 * {@link java.util.ServiceLoader} (register the implementation in
 * {@code META-INF/services/io.github.sdm.unet.graph.strategy.GraphStrategyProvider}). {@code sdm-inheritance}
 * provides the one for feature inheritance.
 */
public interface GraphStrategyProvider {

    /** Whether this provider acts on {@code extension} (so it is not reported as unhandled). */
    boolean handles(SessionExtension extension);

    /**
     * The strategy for one generation, or empty when {@code options} carry none of the extensions this provider
     * handles.
     *
     * @param options the generation's call count and extensions
     * @param unet the loaded UNet's graphs
     * @throws io.github.sdm.core.error.SdmException if a handled extension cannot be executed on this UNet
     */
    Optional<GraphStrategy> create(DenoiserSessionOptions options, UNetGraphs unet);
}
