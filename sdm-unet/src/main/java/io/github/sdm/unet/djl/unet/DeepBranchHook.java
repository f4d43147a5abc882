package io.github.sdm.unet.djl.unet;

import ai.djl.ndarray.NDArray;
import java.util.function.Supplier;

/**
 * Cuts a UNet pass at a shallow depth {@code k} (1 to {@link UNet2DConditionModel#skipCount()}), for
 * DeepCache-style reuse of deep features across timesteps. The <em>shallow</em> part is {@code conv_in}, the
 * down layers producing the first {@code k} skip connections ({@code conv_in}'s output is skip 0), the
 * last {@code k} up layers that consume them, and the head. Everything between, the <em>deep branch</em>
 * (the remaining down layers, the mid block, the up layers consuming the deeper skips and their
 * upsamplers), is handed to the hook as a computation; the hook returns the <em>deep feature</em>, the
 * hidden state the shallow up layers continue from: computed (and perhaps kept) or a kept one (so the deep
 * branch does not run at all).
 *
 * <p>Blocks the cut falls inside run layer by layer (their layers, not the block, meet the interceptor);
 * every other block runs whole. {@link #NONE} cuts below the last skip, so every block runs whole.
 */
public interface DeepBranchHook {

    /** The plain pass: the deep branch (at most the mid block) computed. */
    DeepBranchHook NONE = new DeepBranchHook() {
        @Override
        public int depth(UNet2DConditionModel unet) {
            return unet.skipCount();
        }

        @Override
        public NDArray deepFeature(Supplier<NDArray> computeDeepBranch) {
            return computeDeepBranch.get();
        }
    };

    /** The shallow depth {@code k} for this UNet: 1 to {@code unet.skipCount()}. */
    int depth(UNet2DConditionModel unet);

    /**
     * The deep feature for this pass. An array the hook keeps must be attached to a manager it owns (and
     * may then be returned at later passes; the pass lends it to its scope and gives it back).
     *
     * @param computeDeepBranch runs the deep branch of this pass and returns its output
     */
    NDArray deepFeature(Supplier<NDArray> computeDeepBranch);
}
