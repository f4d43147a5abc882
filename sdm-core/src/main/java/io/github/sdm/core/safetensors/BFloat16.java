package io.github.sdm.core.safetensors;

/** bfloat16 conversions: the upper 16 bits of an IEEE float32. */
public final class BFloat16 {
    private static final short CANONICAL_NAN = 0x7fc0;

    private BFloat16() {
    }

    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Rounds to the nearest bfloat16 (ties to even), as PyTorch's {@code .bfloat16()} does; NaN becomes 0x7FC0. */
    public static short fromFloat(float value) {
        if (Float.isNaN(value)) {
            return CANONICAL_NAN;
        }
        int f = Float.floatToRawIntBits(value);
        int roundingBias = 0x7fff + ((f >>> 16) & 1);
        return (short) ((f + roundingBias) >>> 16);
    }
}
