package io.github.sdm.unet.djl.strategy;

import ai.djl.ndarray.NDManager;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.SessionExtension;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Picks the {@link DenoisingStrategy} of a UNet session. */
public final class DenoisingStrategies {
    private DenoisingStrategies() {
    }

    /**
     * {@link DenoisingStrategy#FULL} when {@code options} carry no extension, else the strategy of the first
     * {@link DenoisingStrategyProvider} on the classpath that creates one.
     *
     * @param manager the strategy's caches live in a sub-manager of this one until it is closed
     * @throws SdmException if an extension is handled by no provider on the classpath (its module is missing)
     */
    public static DenoisingStrategy forSession(DenoiserSessionOptions options, NDManager manager) {
        if (options.extensions().isEmpty()) {
            return DenoisingStrategy.FULL;
        }
        List<DenoisingStrategyProvider> providers = providers();
        for (SessionExtension extension : options.extensions()) {
            if (providers.stream().noneMatch(p -> p.handles(extension))) {
                throw new SdmException("no denoising strategy provider on the classpath handles the session extension '"
                        + extension.describe() + "' (" + extension.getClass().getName() + "); add the module that"
                        + " provides it (feature inheritance: sdm-inheritance), which registers a "
                        + DenoisingStrategyProvider.class.getName() + " for java.util.ServiceLoader");
            }
        }
        for (DenoisingStrategyProvider provider : providers) {
            Optional<DenoisingStrategy> strategy = provider.create(options, manager);
            if (strategy.isPresent()) {
                return strategy.get();
            }
        }
        return DenoisingStrategy.FULL;
    }

    private static List<DenoisingStrategyProvider> providers() {
        try {
            List<DenoisingStrategyProvider> out = new ArrayList<>();
            ServiceLoader.load(DenoisingStrategyProvider.class).forEach(out::add);
            out.sort(Comparator.comparingInt(DenoisingStrategyProvider::priority).reversed()); // stable
            return out;
        } catch (ServiceConfigurationError e) {
            throw new SdmException("cannot load a denoising strategy provider: " + e.getMessage(), e);
        }
    }
}
