package io.github.sdm.unet.graph.strategy;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.SessionExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Picks the {@link GraphStrategy} of a UNet session on built graphs. */
public final class GraphStrategies {
    private GraphStrategies() {
    }

    /**
     * {@link GraphStrategy#FULL} when {@code options} carry no extension, else the strategy of the first
     * {@link GraphStrategyProvider} on the classpath that creates one.
     *
     * @param unet the loaded UNet's graphs
     * @throws InvalidRequestException if an extension is handled by no provider on the classpath (feature inheritance
     *     without {@code sdm-inheritance}; or an extension that only the djl backend runs)
     */
    public static GraphStrategy forSession(DenoiserSessionOptions options, UNetGraphs unet) {
        if (options.extensions().isEmpty()) {
            return GraphStrategy.FULL;
        }
        List<GraphStrategyProvider> providers = providers();
        for (SessionExtension extension : options.extensions()) {
            if (providers.stream().noneMatch(p -> p.handles(extension))) {
                throw new InvalidRequestException("the onnx backend cannot run the session extension '"
                        + extension.describe() + "' (" + extension.getClass().getName() + ") on the graphs sdm builds: "
                        + "no " + GraphStrategyProvider.class.getName() + " on the classpath handles it (feature "
                        + "inheritance needs the sdm-inheritance module; per-generation LoRA and UNet switching work on "
                        + "the UNet's named parts, which only the djl backend runs); use the djl backend");
            }
        }
        for (GraphStrategyProvider provider : providers) {
            Optional<GraphStrategy> strategy = provider.create(options, unet);
            if (strategy.isPresent()) {
                return strategy.get();
            }
        }
        return GraphStrategy.FULL;
    }

    private static List<GraphStrategyProvider> providers() {
        try {
            List<GraphStrategyProvider> out = new ArrayList<>();
            ServiceLoader.load(GraphStrategyProvider.class).forEach(out::add);
            return out;
        } catch (ServiceConfigurationError e) {
            throw new SdmException("cannot load a graph strategy provider: " + e.getMessage(), e);
        }
    }
}
