package io.github.sdm.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BFloat16Test {

    @Test
    void decodesKnownBitPatterns() {
        assertEquals(1.0f, BFloat16.toFloat((short) 0x3f80));
        assertEquals(-2.0f, BFloat16.toFloat((short) 0xc000));
        assertEquals(0.333984375f, BFloat16.toFloat((short) 0x3eab));
        assertEquals(Float.POSITIVE_INFINITY, BFloat16.toFloat((short) 0x7f80));
        assertEquals(Float.NEGATIVE_INFINITY, BFloat16.toFloat((short) 0xff80));
        assertEquals(Float.intBitsToFloat(0x00010000), BFloat16.toFloat((short) 0x0001)); // subnormal
        assertTrue(Float.isNaN(BFloat16.toFloat((short) 0x7fc0)));
    }

    @Test
    void encodesWithRoundToNearestEven() {
        assertEquals(0x3f80, bits(1.0f));
        assertEquals(0x3f80, bits(1 + 0x1p-8f)); // tie: even
        assertEquals(0x3f82, bits(1 + 3 * 0x1p-8f)); // tie: even
        assertEquals(0x3f81, bits(1 + 0x1p-8f + 0x1p-20f));
        assertEquals(0x3eab, bits(1 / 3f));
        assertEquals(0x7f80, bits(Float.MAX_VALUE)); // rounds up into infinity, as PyTorch does
        assertEquals(0xff80, bits(Float.NEGATIVE_INFINITY));
        assertEquals(0x8000, bits(-0.0f));
        assertEquals(0x0001, bits(Float.intBitsToFloat(0x00010000)));
        assertEquals(0x0000, bits(Float.MIN_VALUE));
        assertEquals(0x7fc0, bits(Float.NaN));
        assertEquals(0x7fc0, bits(Float.intBitsToFloat(0xff800001))); // any NaN becomes the canonical one
    }

    @Test
    void everyBFloat16SurvivesARoundTrip() {
        for (int h = 0; h < 0x10000; h++) {
            float f = BFloat16.toFloat((short) h);
            if (Float.isNaN(f)) {
                assertEquals(0x7fc0, bits(f));
            } else {
                assertEquals(h, bits(f), Integer.toHexString(h));
            }
        }
    }

    private static int bits(float value) {
        return BFloat16.fromFloat(value) & 0xffff;
    }
}
