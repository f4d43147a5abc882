package io.github.sdm.inheritance;

import ai.djl.ndarray.NDManager;
import io.github.sdm.core.InvalidRequestException;
import io.github.sdm.core.inheritance.FeatureInheritance;
import io.github.sdm.unet.strategy.DenoisingStrategy;
import io.github.sdm.unet.strategy.DenoisingStrategyProvider;

/** Executes every {@link FeatureInheritance} level; registered for {@link java.util.ServiceLoader}. */
public final class FeatureInheritanceProvider implements DenoisingStrategyProvider {

    @Override
    public DenoisingStrategy create(FeatureInheritance spec, int totalCalls, NDManager parentManager) {
        if (spec == null) {
            return DenoisingStrategy.FULL;
        }
        if (totalCalls < 0) {
            throw new InvalidRequestException("totalCalls must be >= 0, got " + totalCalls);
        }
        CallPlan plan = CallPlan.of(spec.schedule(), totalCalls);
        return switch (spec.level()) {
            case BLOCK -> new BlockInheritance(spec.depth(), plan, parentManager);
            case LAYER, UNIT -> new PartReuse(spec, plan, parentManager);
        };
    }
}
