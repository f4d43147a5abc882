package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;

/**
 * Frees a part's intermediate activations as soon as they are used up, instead of when the part returns.
 * At full resolution every VAE decoder activation is 128-256 MiB for one 512x512 image, and a block's
 * chain of them would otherwise stay alive to its end; memory freed early is also reused while still in
 * cache.
 *
 * <p>Only arrays still owned by the part's own scope are freed: an interceptor that keeps an activation
 * attaches it to its own manager, which this check respects. A part must not release its own inputs.
 *
 * <p>A training pass frees nothing here: the backward pass needs the activations, which the autograd graph
 * holds until the gradients are computed, so freeing them early would return no memory.
 */
public final class Intermediates {
    private Intermediates() {
    }

    /**
     * Frees {@code used} if the current scope still owns it and it is not {@code result} (a part that an
     * interceptor skipped may return its input as its output).
     */
    public static void release(ForwardContext ctx, NDArray used, NDArray result) {
        if (!ctx.isTraining() && used != null && used != result && ctx.manager() != null
                && used.getManager() == ctx.manager()) {
            used.close();
        }
    }

    /**
     * One step of a chain {@code x -> h1 -> h2 ...}: frees {@code previous} (unless it is the part's input
     * {@code x}) once {@code next} is computed from it, and returns {@code next}.
     */
    public static NDArray advance(ForwardContext ctx, NDArray x, NDArray previous, NDArray next) {
        if (previous != x) {
            release(ctx, previous, next);
        }
        return next;
    }
}
