package io.github.sdm.inheritance.djl;

import ai.djl.ndarray.NDManager;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.SessionExtension;
import io.github.sdm.inheritance.FeatureInheritance;
import io.github.sdm.inheritance.plan.CallPlan;
import io.github.sdm.unet.djl.strategy.DenoisingStrategy;
import io.github.sdm.unet.djl.strategy.DenoisingStrategyProvider;
import java.util.Optional;

/** Executes every {@link FeatureInheritance} level; registered for {@link java.util.ServiceLoader}. */
public final class FeatureInheritanceProvider implements DenoisingStrategyProvider {

    @Override
    public boolean handles(SessionExtension extension) {
        return extension instanceof FeatureInheritance;
    }

    @Override
    public Optional<DenoisingStrategy> create(DenoiserSessionOptions options, NDManager parentManager) {
        return options.extension(FeatureInheritance.class).map(spec -> create(spec, options.modelCalls(), parentManager));
    }

    private static DenoisingStrategy create(FeatureInheritance spec, int totalCalls, NDManager parentManager) {
        CallPlan plan = CallPlan.of(spec.schedule(), totalCalls);
        return switch (spec.level()) {
            case BLOCK -> new BlockInheritance(spec.depth(), plan, parentManager);
            case LAYER, UNIT -> new PartReuse(spec, plan, parentManager);
        };
    }
}
