package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
     * Symmetric per-output-channel int8 quantization of a float32 weight {@code [out, ...]}: {@code scale[o] =
     * max|w[o]| / 127} (1 for an all-zero channel), {@code q = round(w / scale[o])}, in the manager of {@code weight}.
     *
     * @return {@code [int8 values, float32 scales [out]]}
     */
    static NDArray[] quantize(NDArray weight) {
        NDManager owner = weight.getManager();
        long out = weight.getShape().get(0);
        try (NDManager scope = owner.newSubManager()) {
            // the temporaries land in the scope (ops attach to their first operand's manager), the results go back
            scope.tempAttachAll(weight);
            NDArray peak = weight.reshape(out, -1).abs().max(new int[] {1});
            // an all-zero channel quantizes to zeros with any scale; 1 avoids dividing by zero
            NDArray scales = peak.div(INT8_LEVELS).add(peak.eq(0f).toType(DataType.FLOAT32, false));
            NDArray q = weight.div(scales.reshape(channelShape(weight))).round().clip(-INT8_LEVELS, INT8_LEVELS)
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
