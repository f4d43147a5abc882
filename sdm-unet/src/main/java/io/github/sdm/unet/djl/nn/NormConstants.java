package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unit scale and zero shift vectors for the engine's fused layer norm, which always applies an affine
 * transform; cached per length in the manager of the norm's weights so no call allocates them.
 */
final class NormConstants {
    private final ConcurrentHashMap<Long, NDArray[]> byLength = new ConcurrentHashMap<>();

    /** {@code [ones(length), zeros(length)]}. */
    NDArray[] identityAffine(NDManager owner, long length) {
        return byLength.computeIfAbsent(length, n -> new NDArray[] {
            owner.ones(new Shape(n), DataType.FLOAT32), owner.zeros(new Shape(n), DataType.FLOAT32)});
    }
}
