package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unit scale and zero shift vectors for the engine's fused layer norm, which always applies an affine
 * transform; cached per length and type (the input's, which the op requires) in the manager of the norm's
 * weights so no call allocates them.
 */
final class NormConstants {
    private final ConcurrentHashMap<Long, NDArray[]> byLength = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, NDArray[]> halfByLength = new ConcurrentHashMap<>();

    /** {@code [ones(length), zeros(length)]} in float32. */
    NDArray[] identityAffine(NDManager owner, long length) {
        return identityAffine(owner, length, DataType.FLOAT32);
    }

    /** {@code [ones(length), zeros(length)]} in {@code type} (float32 or float16). */
    NDArray[] identityAffine(NDManager owner, long length, DataType type) {
        var cache = type == DataType.FLOAT32 ? byLength : halfByLength;
        return cache.computeIfAbsent(length, n -> new NDArray[] {
            owner.ones(new Shape(n), type), owner.zeros(new Shape(n), type)});
    }
}
