package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

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
 */
final class WeightSlices implements AutoCloseable {
    /** The largest weight slice. */
    static final long MAX_BYTES = 16L << 20;
    /** Slices hold a multiple of this many output channels (oneDNN's block size). */
    private static final long CHANNEL_BLOCK = 16;

    private final NDArray[] weights;
    private final NDArray[] biases;

    private WeightSlices(NDArray[] weights, NDArray[] biases) {
        this.weights = weights;
        this.biases = biases;
    }

    /**
     * Views of {@code weight [out, ...]} and {@code bias [out]} (may be null), in the weight's manager; a
     * single slice (the arrays themselves) when the weight is small enough.
     */
    static WeightSlices of(NDArray weight, NDArray bias) {
        long out = weight.getShape().get(0);
        long channelBytes = weight.getShape().size() / out * Float.BYTES;
        long perSlice = Math.max(CHANNEL_BLOCK, MAX_BYTES / channelBytes / CHANNEL_BLOCK * CHANNEL_BLOCK);
        if (perSlice >= out) {
            return new WeightSlices(new NDArray[] {weight}, new NDArray[] {bias});
        }
        int count = Math.toIntExact((out + perSlice - 1) / perSlice);
        NDArray[] w = new NDArray[count];
        NDArray[] b = new NDArray[count];
        for (int i = 0; i < count; i++) {
            NDIndex range = new NDIndex("{}:{}", i * perSlice, Math.min(out, (i + 1) * perSlice));
            w[i] = weight.get(range);
            b[i] = bias == null ? null : bias.get(range);
        }
        return new WeightSlices(w, b);
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
            if (biases[i] != null) {
                biases[i].close();
            }
        }
    }
}
