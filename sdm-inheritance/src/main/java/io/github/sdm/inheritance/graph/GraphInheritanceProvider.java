package io.github.sdm.inheritance.graph;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.SessionExtension;
import io.github.sdm.inheritance.FeatureInheritance;
import io.github.sdm.inheritance.plan.CallPlan;
import io.github.sdm.inheritance.plan.ReusedParts;
import io.github.sdm.unet.graph.UNetCut;
import io.github.sdm.unet.graph.UNetGraph;
import io.github.sdm.unet.graph.strategy.GraphStrategy;
import io.github.sdm.unet.graph.strategy.GraphStrategyProvider;
import io.github.sdm.unet.graph.strategy.UNetGraphs;
import java.util.Optional;
import java.util.Set;

/** Executes every {@link FeatureInheritance} level on built UNet graphs; registered for {@link java.util.ServiceLoader}. */
public final class GraphInheritanceProvider implements GraphStrategyProvider {

    @Override
    public boolean handles(SessionExtension extension) {
        return extension instanceof FeatureInheritance;
    }

    @Override
    public Optional<GraphStrategy> create(DenoiserSessionOptions options, UNetGraphs unet) {
        return options.extension(FeatureInheritance.class).map(spec -> create(spec, options.modelCalls(), unet));
    }

    private static GraphStrategy create(FeatureInheritance spec, int totalCalls, UNetGraphs unet) {
        UNetCut reusing = UNetCut.feeding(reusedPoints(spec, unet));
        // the caching pass returns what the pruned reuse pass still reads, nothing more
        UNetCut caching = UNetCut.exposing(unet.fedInputs(reusing));
        return new CutReuse(spec, CallPlan.of(spec.schedule(), totalCalls), caching, reusing);
    }

    /** The points a reuse call takes from the last key step: DeepCache's deep feature, or the reused parts. */
    private static Set<String> reusedPoints(FeatureInheritance spec, UNetGraphs unet) {
        return switch (spec.level()) {
            case BLOCK -> {
                if (spec.depth() > unet.skipCount()) {
                    throw new InvalidRequestException("block feature inheritance depth " + spec.depth() + " exceeds the "
                            + unet.skipCount() + " skip connections of this UNet (depth must be 1.." + unet.skipCount()
                            + ")");
                }
                yield Set.of(UNetGraph.deepFeature(spec.depth()));
            }
            case LAYER, UNIT -> ReusedParts.resolve(spec, unet.points(), unet.downBlocks());
        };
    }
}
