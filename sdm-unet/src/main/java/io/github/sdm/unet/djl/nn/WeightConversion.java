package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Weights from their storage type to a compute type, as new arrays: a float type is cast (widening float16 to
 * float32 is exact), int8 values are multiplied by their per-output-channel scales in float32 and then cast. Also
 * the quantization itself ({@link #quantize}).
 */
final class WeightConversion {
    /** The largest int8 magnitude used: symmetric quantization leaves -128 out. */
    static final float INT8_LEVELS = 127f;

    private WeightConversion() {
    }

    /**
     * {@code stored} in {@code type}, a new array in the manager of {@code stored}.
     *
     * @param stored a float array, or int8 values {@code [out, ...]}
     * @param scales float32 {@code [out]} for int8 values, else null
     */
    static NDArray toType(NDArray stored, NDArray scales, DataType type) {
        if (stored.getDataType() != DataType.INT8) {
            return stored.toType(type, true);
        }
        NDArray dequantized = stored.toType(DataType.FLOAT32, false);
        try (NDArray perChannel = scales.reshape(channelShape(stored))) {
            dequantized.muli(perChannel);
        }
        if (type == DataType.FLOAT32) {
            return dequantized;
        }
        NDArray out = dequantized.toType(type, false);
        dequantized.close();
        return out;
    }

    /**
     * Symmetric per-output-channel int8 quantization of a float weight {@code [out, ...]} (float32, or float16
     * widened exactly): {@code scale[o] = max|w[o]| / 127} (1 for an all-zero channel), {@code q = round(w /
     * scale[o])}, in the manager of {@code weight}.
     *
     * <p>Output channels are quantized independently, so the weight is done in slices of output channels of at most
     * {@code sliceBytes} as float32: the float32 temporaries (the widened slice, its magnitudes, the quotients)
     * exist for one slice at a time, not for the whole weight (3 x 118 MB for SD 1.5's largest convolution). The
     * values are those of quantizing it whole, bit for bit.
     *
     * @return {@code [int8 values, float32 scales [out]]}
     */
    static NDArray[] quantize(NDArray weight, long sliceBytes) {
        long out = weight.getShape().get(0);
        long channelBytes = weight.getShape().size() / Math.max(1, out) * Float.BYTES;
        long perSlice = Math.max(1, sliceBytes / channelBytes);
        if (perSlice >= out) {
            return quantizeWhole(weight);
        }
        NDList values = new NDList();
        NDList scales = new NDList();
        for (long start = 0; start < out; start += perSlice) {
            try (NDArray slice = weight.get(new NDIndex("{}:{}", start, Math.min(out, start + perSlice)))) {
                NDArray[] quantized = quantizeWhole(slice);
                values.add(quantized[0]);
                scales.add(quantized[1]);
            }
        }
        NDArray[] joined = {NDArrays.concat(values, 0), NDArrays.concat(scales, 0)};
        values.close();
        scales.close();
        return joined;
    }

    /** {@link #quantize(NDArray, long)} in slices of {@link WeightSlices#MAX_BYTES}. */
    static NDArray[] quantize(NDArray weight) {
        return quantize(weight, WeightSlices.MAX_BYTES);
    }

    private static NDArray[] quantizeWhole(NDArray weight) {
        NDManager owner = weight.getManager();
        long out = weight.getShape().get(0);
        try (NDManager scope = owner.newSubManager()) {
            // the temporaries land in the scope (ops attach to their first operand's manager), the results go back
            NDArray wide = weight.toType(DataType.FLOAT32, false);
            if (wide == weight) {
                scope.tempAttachAll(weight); // the caller's array: back to its manager when the scope closes
            } else {
                wide.attach(scope); // a widened copy: freed with the scope
            }
            NDArray peak = wide.reshape(out, -1).abs().max(new int[] {1});
            // an all-zero channel quantizes to zeros with any scale; 1 avoids dividing by zero
            NDArray scales = peak.div(INT8_LEVELS).add(peak.eq(0f).toType(DataType.FLOAT32, false));
            NDArray q = wide.div(scales.reshape(channelShape(wide))).round().clip(-INT8_LEVELS, INT8_LEVELS)
                    .toType(DataType.INT8, false);
            q.attach(owner);
            scales.attach(owner);
            return new NDArray[] {q, scales};
        }
    }

    /** Frees converted arrays (null entries are skipped). */
    static void close(NDArray... converted) {
        for (NDArray array : converted) {
            if (array != null) {
                array.close();
            }
        }
    }

    /** {@code [out, 1, 1, ...]} for a weight {@code [out, ...]}: scales broadcast over a channel. */
    private static long[] channelShape(NDArray weight) {
        long[] shape = new long[weight.getShape().dimension()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = weight.getShape().get(0);
        return shape;
    }
}
