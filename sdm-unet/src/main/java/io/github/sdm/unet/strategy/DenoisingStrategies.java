package io.github.sdm.unet.strategy;

import ai.djl.ndarray.NDManager;
import io.github.sdm.core.SdmException;
import io.github.sdm.core.inheritance.FeatureInheritance;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Picks the {@link DenoisingStrategy} of a UNet session. */
public final class DenoisingStrategies {
    private DenoisingStrategies() {
    }

    /**
     * {@link DenoisingStrategy#FULL} when {@code options} carries no {@link FeatureInheritance}, else the strategy of the
     * first {@link DenoisingStrategyProvider} on the classpath (the {@code sdm-inheritance} module).
     *
     * @param manager the strategy's caches live in a sub-manager of this one until it is closed
     * @throws SdmException if inheritance is asked for and no provider is on the classpath
     */
    public static DenoisingStrategy forSession(DenoiserSessionOptions options, NDManager manager) {
        FeatureInheritance inheritance = options.extension(FeatureInheritance.class).orElse(null);
        if (inheritance == null) {
            return DenoisingStrategy.FULL;
        }
        DenoisingStrategyProvider provider = firstProvider();
        if (provider == null) {
            throw new SdmException("feature inheritance needs the sdm-inheritance module on the classpath"
                    + " (asked for '" + inheritance.spec() + "')");
        }
        return provider.create(inheritance, options.modelCalls(), manager);
    }

    private static DenoisingStrategyProvider firstProvider() {
        try {
            Iterator<DenoisingStrategyProvider> it = ServiceLoader.load(DenoisingStrategyProvider.class).iterator();
            return it.hasNext() ? it.next() : null;
        } catch (ServiceConfigurationError e) {
            throw new SdmException("cannot load the feature inheritance provider: " + e.getMessage(), e);
        }
    }
}
