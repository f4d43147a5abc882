package io.github.sdm.bench.pipeline;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.tensor.FloatTensor;
import java.util.Arrays;

/**
 * How far a variant's final latents lie from a reference's (the same request and seed computed another way, e.g.
 * with float32 weights): the largest and the mean absolute difference.
 */
public record LatentDeviation(double maxAbs, double meanAbs) {

    /**
     * Compares {@code latents} with {@code reference}.
     *
     * @throws InvalidRequestException when the shapes differ (another size or batch than the reference's)
     */
    public static LatentDeviation between(FloatTensor reference, FloatTensor latents) {
        if (!Arrays.equals(reference.shape(), latents.shape())) {
            throw new InvalidRequestException("the reference latents have shape " + Arrays.toString(reference.shape())
                    + ", these " + Arrays.toString(latents.shape()) + ": compare generations of one size and batch");
        }
        return new LatentDeviation(InheritanceDeviation.maxAbs(reference, latents),
                InheritanceDeviation.meanAbs(reference, latents));
    }
}
