package io.github.sdm.inheritance.graph;

import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.inheritance.FeatureInheritance;
import io.github.sdm.inheritance.plan.CallPlan;
import io.github.sdm.unet.graph.UNetCut;
import io.github.sdm.unet.graph.strategy.GraphStrategy;
import io.github.sdm.unet.graph.strategy.UNetGraphCall;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One generation's feature inheritance on built graphs. A key step whose next call reuses runs the caching variant
 * and keeps the values it exposes; a reuse call runs the reuse variant on them; a key step followed by a key step runs
 * the whole graph and keeps nothing. A reuse call whose latents differ in shape from the key step's (or that has
 * nothing kept) computes in full, as on the DJL backend.
 */
final class CutReuse implements GraphStrategy {
    private final FeatureInheritance spec;
    private final CallPlan plan;
    private final UNetCut caching;
    private final UNetCut reusing;
    private Map<String, FloatTensor> kept;
    private int[] keptSampleShape;

    CutReuse(FeatureInheritance spec, CallPlan plan, UNetCut caching, UNetCut reusing) {
        this.spec = spec;
        this.plan = plan;
        this.caching = caching;
        this.reusing = reusing;
    }

    @Override
    public FloatTensor predict(UNetGraphCall call, int callIndex) {
        boolean key = plan.isKey(callIndex);
        if (!key && kept != null && Arrays.equals(call.sampleShape(), keptSampleShape)) {
            return call.run(reusing, kept).get(UNetGraphCall.OUT_SAMPLE);
        }
        // a key step, or a reuse step with nothing usable kept: compute fully
        close();
        if (!plan.nextReuses(callIndex)) {
            return call.run(UNetCut.NONE, Map.of()).get(UNetGraphCall.OUT_SAMPLE);
        }
        Map<String, FloatTensor> out = new HashMap<>(call.run(caching, Map.of()));
        FloatTensor prediction = out.remove(UNetGraphCall.OUT_SAMPLE);
        kept = out;
        keptSampleShape = call.sampleShape();
        return prediction;
    }

    @Override
    public void close() {
        kept = null;
        keptSampleShape = null;
    }

    @Override
    public String toString() {
        return "CutReuse(" + spec.spec() + ", " + plan.keyCount() + " key steps of " + plan.totalCalls() + ", reusing "
                + reusing.fed().size() + " values)";
    }
}
