package io.github.sdm.unet.djl.strategy;

import ai.djl.ndarray.NDArray;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;

/**
 * How the UNet calls of one generation are computed: in full every time ({@link #FULL}), or reusing
 * activations cached at earlier calls (feature inheritance, module {@code sdm-inheritance}). A strategy
 * holds the caches of one generation; {@link #close()} frees them. Not shared between threads.
 */
public interface DenoisingStrategy extends AutoCloseable {

    /** Plain {@link UNet2DConditionModel#forward}: no state, closing does nothing. */
    DenoisingStrategy FULL = new FullComputation();

    /**
     * One UNet call.
     *
     * @param sample latents {@code [B, C, H, W]} (2B with classifier-free guidance)
     * @param timestep a scalar or {@code [B]}
     * @param context text embeddings {@code [B, M, D]}
     * @param callIndex this call's index in the generation, 0-based, below the {@code totalCalls} the
     *     strategy was created for
     * @param ctx the forward settings; a strategy may wrap its interceptor
     * @return the prediction, attached to the manager of {@code sample}
     */
    NDArray predict(UNet2DConditionModel unet, NDArray sample, NDArray timestep, NDArray context, int callIndex,
            ForwardContext ctx);

    /** Frees every cached array. */
    @Override
    void close();
}
