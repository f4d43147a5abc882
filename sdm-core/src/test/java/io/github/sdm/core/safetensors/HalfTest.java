package io.github.sdm.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** float16 conversions against known bit patterns and an exact round-to-nearest-even oracle. */
class HalfTest {

    @Test
    void decodesKnownBitPatterns() {
        assertBits(0.0f, Half.toFloat((short) 0x0000));
        assertBits(-0.0f, Half.toFloat((short) 0x8000));
        assertEquals(1.0f, Half.toFloat((short) 0x3c00));
        assertEquals(-2.0f, Half.toFloat((short) 0xc000));
        assertEquals(-2.5f, Half.toFloat((short) 0xc100));
        assertEquals(0.333251953125f, Half.toFloat((short) 0x3555));
        assertEquals(0.0999755859375f, Half.toFloat((short) 0x2e66));
        assertEquals(65504f, Half.toFloat((short) 0x7bff));
        assertEquals(0x1p-14f, Half.toFloat((short) 0x0400)); // smallest normal
        assertEquals(0x1p-24f, Half.toFloat((short) 0x0001)); // smallest subnormal
        assertEquals(1023 * 0x1p-24f, Half.toFloat((short) 0x03ff)); // largest subnormal
        assertEquals(-0x1p-24f, Half.toFloat((short) 0x8001));
        assertEquals(Float.POSITIVE_INFINITY, Half.toFloat((short) 0x7c00));
        assertEquals(Float.NEGATIVE_INFINITY, Half.toFloat((short) 0xfc00));
        assertTrue(Float.isNaN(Half.toFloat((short) 0x7e00)));
        assertTrue(Float.isNaN(Half.toFloat((short) 0x7c01)));
        assertTrue(Float.isNaN(Half.toFloat((short) 0xfe00)));
    }

    @Test
    void encodesWithRoundToNearestEven() {
        // Expected bits from numpy's float32 -> float16 cast.
        assertEquals(0x3c00, bits(1.0f));
        assertEquals(0x3c00, bits(1 + 0x1p-11f)); // tie between 0x3c00 and 0x3c01: even
        assertEquals(0x3c02, bits(1 + 3 * 0x1p-11f)); // tie between 0x3c01 and 0x3c02: even
        assertEquals(0x3555, bits(1 / 3f));
        assertEquals(0x2e66, bits(0.1f));
        assertEquals(0xc100, bits(-2.5f));
        assertEquals(0x7bff, bits(65519f));
        assertEquals(0x7c00, bits(65520f)); // halfway to the next binade: overflows
        assertEquals(0x7c00, bits(1e5f));
        assertEquals(0xfc00, bits(-1e5f));
        assertEquals(0x7c00, bits(Float.POSITIVE_INFINITY));
        assertEquals(0x8000, bits(-0.0f));
        assertEquals(0x0000, bits(0x1p-25f)); // tie between 0 and the smallest subnormal: even
        assertEquals(0x0001, bits(0x1p-25f * 1.0001f));
        assertEquals(0x0002, bits(3 * 0x1p-25f)); // tie between subnormals 1 and 2: even
        assertEquals(0x0400, bits(0x1p-14f - 0x1p-25f)); // tie between largest subnormal and smallest normal
        assertEquals(0x0000, bits(1e-10f));
        assertEquals(0x0000, bits(Float.MIN_VALUE));
        assertEquals(0x7e00, bits(Float.NaN));
    }

    @Test
    void everyHalfSurvivesARoundTrip() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Half.toFloat((short) h);
            boolean nan = (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0;
            if (nan) {
                assertTrue(Float.isNaN(f), Integer.toHexString(h));
                assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(f))), Integer.toHexString(h));
            } else {
                assertEquals(h, Half.fromFloat(f) & 0xffff, Integer.toHexString(h));
            }
        }
    }

    @Test
    void encodingMatchesAnExactOracleAcrossTheFloatRange() {
        for (long f = 0; f < 0x7f800000L; f += 997) {
            float value = Float.intBitsToFloat((int) f);
            int expected = nearestEven(value);
            assertEquals(expected, bits(value), () -> "float " + value);
            assertEquals(expected | 0x8000, bits(-value), () -> "float " + -value);
        }
    }

    /** The half nearest to a non-negative finite value, ties to even, found by search over the ordered bit patterns. */
    private static int nearestEven(float value) {
        int lo = 0;
        int hi = 0x7bff;
        if (value >= 65504f) {
            lo = 0x7bff;
        } else {
            while (lo < hi) { // largest half <= value
                int mid = (lo + hi + 1) >>> 1;
                if (Half.toFloat((short) mid) <= value) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
        }
        double below = Half.toFloat((short) lo);
        double above = lo == 0x7bff ? 65536.0 : Half.toFloat((short) (lo + 1)); // 65536: where rounding overflows
        double dBelow = value - below;
        double dAbove = above - value;
        int nearest = dBelow < dAbove ? lo : dBelow > dAbove ? lo + 1 : (lo % 2 == 0 ? lo : lo + 1);
        return Math.min(nearest, 0x7c00);
    }

    private static int bits(float value) {
        return Half.fromFloat(value) & 0xffff;
    }

    private static void assertBits(float expected, float actual) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual));
    }
}
