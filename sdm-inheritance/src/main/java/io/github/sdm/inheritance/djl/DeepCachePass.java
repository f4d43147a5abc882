package io.github.sdm.inheritance.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.unet.DeepBranchHook;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.util.function.Supplier;

/**
 * DeepCache's two kinds of UNet call, both the UNet's one pass cut at shallow depth {@code k} by a
 * {@link DeepBranchHook}: the caching pass computes everything and keeps the deep feature; the shallow pass
 * never runs the deep branch and continues from a kept feature instead.
 */
final class DeepCachePass {
    private DeepCachePass() {
    }

    /**
     * A full pass that also keeps its deep feature at depth {@code k} (attached to {@code keep}, no copy).
     * The output is attached to the manager of {@code sample}.
     */
    static CachedForward caching(UNet2DConditionModel unet, NDArray sample, NDArray timestep, NDArray context, int k,
            ForwardContext ctx, NDManager keep) {
        NDArray[] kept = new NDArray[1];
        NDArray out = unet.forward(sample, timestep, context, ctx, hook(k, compute -> {
            kept[0] = compute.get();
            kept[0].attach(keep);
            return kept[0];
        }));
        return new CachedForward(out, kept[0]);
    }

    /** Only the shallow part at depth {@code k}, continuing from {@code deepFeature} (left where it is). */
    static NDArray shallow(UNet2DConditionModel unet, NDArray sample, NDArray timestep, NDArray context,
            NDArray deepFeature, int k, ForwardContext ctx) {
        return unet.forward(sample, timestep, context, ctx, hook(k, compute -> deepFeature));
    }

    private interface Feature {
        NDArray of(Supplier<NDArray> computeDeepBranch);
    }

    private static DeepBranchHook hook(int k, Feature feature) {
        return new DeepBranchHook() {
            @Override
            public int depth(UNet2DConditionModel unet) {
                return k;
            }

            @Override
            public NDArray deepFeature(Supplier<NDArray> computeDeepBranch) {
                return feature.of(computeDeepBranch);
            }
        };
    }
}
