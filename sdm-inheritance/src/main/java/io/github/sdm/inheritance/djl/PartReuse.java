package io.github.sdm.inheritance.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.inheritance.FeatureInheritance;
import io.github.sdm.inheritance.plan.CallPlan;
import io.github.sdm.inheritance.plan.ReusedParts;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.PartInterceptor;
import io.github.sdm.unet.djl.strategy.DenoisingStrategy;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.util.Set;

/**
 * Layer- and unit-level inheritance: an interceptor around the chosen parts keeps their outputs at a key
 * step (when the next call reuses) and returns them, without running the part, at the calls in between.
 * Every other part is recomputed. The reuse interceptor wraps the caller's (see
 * {@link ForwardContext#withOuterInterceptor}), which still sees every part that runs.
 */
final class PartReuse implements DenoisingStrategy {
    private final FeatureInheritance spec;
    private final CallPlan plan;
    private final PartOutputCache cache;
    private Set<String> reused;
    private UNet2DConditionModel resolvedFor;
    private Shape cachedSampleShape;

    PartReuse(FeatureInheritance spec, CallPlan plan, NDManager parentManager) {
        this.spec = spec;
        this.plan = plan;
        this.cache = new PartOutputCache(parentManager);
    }

    @Override
    public NDArray predict(UNet2DConditionModel unet, NDArray sample, NDArray timestep, NDArray context,
            int callIndex, ForwardContext ctx) {
        if (resolvedFor != unet) {
            reused = ReusedParts.resolve(spec, unet.partNames(), unet.downBlocks().size());
            resolvedFor = unet;
            cache.clear();
        }
        boolean key = plan.isKey(callIndex);
        if (!key && !cache.isEmpty() && sample.getShape().equals(cachedSampleShape)) {
            return unet.forward(sample, timestep, context, ctx.withOuterInterceptor(reusing()));
        }
        // a key step, or a reuse step with nothing usable cached: compute fully
        cache.clear();
        if (!plan.nextReuses(callIndex)) {
            cachedSampleShape = null;
            return unet.forward(sample, timestep, context, ctx);
        }
        cachedSampleShape = sample.getShape();
        return unet.forward(sample, timestep, context, ctx.withOuterInterceptor(storing()));
    }

    /** Runs every part and keeps the outputs of the reused ones. */
    private PartInterceptor storing() {
        return (name, inputs, compute) -> {
            NDList out = compute.apply(inputs);
            if (reused.contains(name)) {
                cache.store(name, out);
            }
            return out;
        };
    }

    /** Hands out the kept outputs of the reused parts instead of running them. */
    private PartInterceptor reusing() {
        return (name, inputs, compute) -> {
            if (reused.contains(name)) {
                NDList kept = cache.lend(name, inputs.head().getManager());
                if (kept != null) {
                    return kept;
                }
            }
            return compute.apply(inputs);
        };
    }

    @Override
    public void close() {
        cache.close();
    }

    @Override
    public String toString() {
        return "PartReuse(" + spec.spec() + ", " + plan.keyCount() + " key steps of " + plan.totalCalls() + ")";
    }
}
