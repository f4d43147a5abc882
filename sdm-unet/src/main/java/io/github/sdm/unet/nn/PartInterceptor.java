package io.github.sdm.unet.nn;

import ai.djl.ndarray.NDList;
import java.util.function.Function;

/**
 * Wraps the computation of every named {@link Part}: it may call {@code compute} (possibly with other
 * inputs), skip it and return something else (a cached activation), or observe what passes through.
 *
 * <p>Arrays an interceptor wants to keep beyond the current forward pass must be attached to a manager
 * it owns ({@code array.attach(cacheManager)}); everything else is freed when the pass ends.
 */
@FunctionalInterface
public interface PartInterceptor {

    /** Runs every part as it is. */
    PartInterceptor NONE = (partName, inputs, compute) -> compute.apply(inputs);

    /**
     * @param partName the part's full checkpoint key prefix, e.g. {@code down_blocks.1.attentions.0}
     * @param inputs the part's inputs, in the order its class documents
     * @param compute the part's own computation
     * @return the part's outputs
     */
    NDList around(String partName, NDList inputs, Function<NDList, NDList> compute);
}
