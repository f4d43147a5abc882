package io.github.sdm.inheritance.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.inheritance.plan.CallPlan;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.strategy.DenoisingStrategy;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;

/**
 * DeepCache: at a key step the whole UNet runs and the deep feature at shallow depth {@code k} is kept;
 * at the calls in between only the shallow branch runs, on that feature ({@link DeepCachePass}). A key step whose next call is a
 * key step too runs the plain forward and keeps nothing.
 */
final class BlockInheritance implements DenoisingStrategy {
    private final int depth;
    private final CallPlan plan;
    private final NDManager cacheManager;
    private NDArray deepFeature;
    private Shape cachedSampleShape;
    private UNet2DConditionModel cachedFor;

    BlockInheritance(int depth, CallPlan plan, NDManager parentManager) {
        this.depth = depth;
        this.plan = plan;
        this.cacheManager = parentManager.newSubManager();
    }

    @Override
    public NDArray predict(UNet2DConditionModel unet, NDArray sample, NDArray timestep, NDArray context,
            int callIndex, ForwardContext ctx) {
        if (depth > unet.skipCount()) {
            throw new InvalidRequestException("block feature inheritance depth " + depth + " exceeds the "
                    + unet.skipCount() + " skip connections of this UNet (depth must be 1.." + unet.skipCount() + ")");
        }
        boolean key = plan.isKey(callIndex);
        if (!key && usableFor(unet, sample)) {
            return DeepCachePass.shallow(unet, sample, timestep, context, deepFeature, depth, ctx);
        }
        // a key step, or a reuse step with nothing usable cached: compute fully
        if (!plan.nextReuses(callIndex)) {
            release();
            return unet.forward(sample, timestep, context, ctx);
        }
        release();
        CachedForward full = DeepCachePass.caching(unet, sample, timestep, context, depth, ctx, cacheManager);
        deepFeature = full.deepFeature();
        cachedSampleShape = sample.getShape();
        cachedFor = unet;
        return full.output();
    }

    private boolean usableFor(UNet2DConditionModel unet, NDArray sample) {
        return deepFeature != null && cachedFor == unet && sample.getShape().equals(cachedSampleShape);
    }

    private void release() {
        if (deepFeature != null) {
            deepFeature.close();
            deepFeature = null;
            cachedFor = null;
            cachedSampleShape = null;
        }
    }

    @Override
    public void close() {
        release();
        cacheManager.close();
    }

    @Override
    public String toString() {
        return "BlockInheritance(depth " + depth + ", " + plan.keyCount() + " key steps of " + plan.totalCalls() + ")";
    }
}
