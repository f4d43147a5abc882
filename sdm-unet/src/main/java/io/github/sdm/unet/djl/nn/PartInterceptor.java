package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDList;
import java.util.function.Function;

/**
 * Wraps the computation of every named {@link Part}: it may call {@code compute} (possibly with other
 * inputs), skip it and return something else (a cached activation), or observe what passes through.
 *
 * <p>Interceptors stack without knowing each other: {@code outer.andThen(inner)} consults {@code outer}
 * first; its {@code compute} runs {@code inner} around the part's own computation. So the outer one sees
 * every part the inner one sees, gets what the inner one returns (a replacement included), and decides
 * whether the inner one runs at all (a part the outer one skips is not seen by the inner one).
 * {@link ForwardContext#withOuterInterceptor} puts an interceptor outside the context's current one: a
 * profiler set by the caller stays innermost, next to the computation it times, and feature inheritance or
 * distillation taps added later wrap it.
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
     * @param compute the part's own computation (or, in a chain, the next interceptor around it)
     * @return the part's outputs
     */
    NDList around(String partName, NDList inputs, Function<NDList, NDList> compute);

    /** This interceptor outside {@code inner}: see the class comment for the order. */
    default PartInterceptor andThen(PartInterceptor inner) {
        if (inner == null) {
            throw new IllegalArgumentException("inner interceptor must not be null (use PartInterceptor.NONE)");
        }
        if (inner == NONE) {
            return this;
        }
        if (this == NONE) {
            return inner;
        }
        PartInterceptor outer = this;
        return (name, inputs, compute) -> outer.around(name, inputs, in -> inner.around(name, in, compute));
    }
}
