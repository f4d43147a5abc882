package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.function.BiFunction;

/**
 * A layer's weight (and bias) cut along output channels into views of at most {@link #MAX_BYTES}, made
 * once when the weights are loaded.
 *
 * <p>The engine's oneDNN kernels copy a layer's weight into their own blocked layout on every call. A
 * copy larger than glibc's mmap threshold (at most 32 MiB) lands in freshly mapped pages that the kernel
 * must fault in and zero each time: a 1280x1280x3x3 convolution (59 MB of weights) took twice as long
 * whole as in halves, the halves' copies being served from the heap. Output channels are independent, so
 * the slices' outputs, joined, are bit-identical to the whole layer's.
 *
 * <p>The slices are views: they share the weight's memory, so they follow in-place changes of its values,
 * but not a new array in its place (the layer then derives them again). A training pass does not use them.
 *
 * <p>A weight held in another type than the computation's (float16, or int8 with per-channel scales) is sliced
 * the same way, its slice count sized by the float32 it becomes: {@link #converted} makes one slice's weight in
 * the compute type just before its op, so a layer never holds more than one converted slice.
 */
final class WeightSlices implements AutoCloseable {
    /** The largest weight slice. */
    static final long MAX_BYTES = 16L << 20;
    /** Slices hold a multiple of this many output channels (oneDNN's block size). */
    private static final long CHANNEL_BLOCK = 16;

    private final NDArray[] weights;
    private final NDArray[] scales;
    private final NDArray[] biases;

    private WeightSlices(NDArray[] weights, NDArray[] scales, NDArray[] biases) {
        this.weights = weights;
        this.scales = scales;
        this.biases = biases;
    }

    /**
     * Views of {@code weight [out, ...]} and {@code bias [out]} (may be null), in the weight's manager; a
     * single slice (the arrays themselves) when the weight is small enough.
     */
    static WeightSlices of(NDArray weight, NDArray bias) {
        return of(weight, null, bias);
    }

    /**
     * Views of {@code weight [out, ...]}, its int8 values' per-channel {@code scales [out]} (null for a float
     * weight) and {@code bias [out]} (may be null), cut as {@link #of(NDArray, NDArray)} cuts them.
     */
    static WeightSlices of(NDArray weight, NDArray scales, NDArray bias) {
        long out = weight.getShape().get(0);
        long channelBytes = weight.getShape().size() / out * Float.BYTES;
        long perSlice = Math.max(CHANNEL_BLOCK, MAX_BYTES / channelBytes / CHANNEL_BLOCK * CHANNEL_BLOCK);
        if (perSlice >= out) {
            return new WeightSlices(new NDArray[] {weight}, new NDArray[] {scales}, new NDArray[] {bias});
        }
        int count = Math.toIntExact((out + perSlice - 1) / perSlice);
        NDArray[] w = new NDArray[count];
        NDArray[] s = new NDArray[count];
        NDArray[] b = new NDArray[count];
        for (int i = 0; i < count; i++) {
            NDIndex range = new NDIndex("{}:{}", i * perSlice, Math.min(out, (i + 1) * perSlice));
            w[i] = weight.get(range);
            s[i] = scales == null ? null : scales.get(range);
            b[i] = bias == null ? null : bias.get(range);
        }
        return new WeightSlices(w, s, b);
    }

    /**
     * Slice {@code i}'s weight and bias (or null) in {@code type}, new arrays the caller frees after the op
     * ({@code [weight, bias]}).
     */
    NDArray[] converted(int i, DataType type) {
        return new NDArray[] {WeightConversion.toType(weights[i], scales[i], type),
            biases[i] == null ? null : WeightConversion.toType(biases[i], null, type)};
    }

    /**
     * {@code op(weight, bias)} on each slice converted to {@code type} just before it runs and freed after it, the
     * outputs joined along axis 1 (output channels): a call holds one converted slice at a time.
     */
    NDArray applyConverted(DataType type, BiFunction<NDArray, NDArray, NDArray> op) {
        NDList pieces = new NDList(count());
        for (int i = 0; i < count(); i++) {
            NDArray[] converted = converted(i, type);
            try {
                pieces.add(op.apply(converted[0], converted[1]));
            } finally {
                WeightConversion.close(converted);
            }
        }
        if (pieces.size() == 1) {
            return pieces.head();
        }
        NDArray out = NDArrays.concat(pieces, 1);
        pieces.close();
        return out;
    }

    int count() {
        return weights.length;
    }

    NDArray weight(int i) {
        return weights[i];
    }

    /** The bias slice, or null without bias. */
    NDArray bias(int i) {
        return biases[i];
    }

    /** Frees the slice views; a single slice is the weight itself, which stays. */
    @Override
    public void close() {
        if (weights.length == 1) {
            return;
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i].close();
            if (scales[i] != null) {
                scales[i].close();
            }
            if (biases[i] != null) {
                biases[i].close();
            }
        }
    }
}
