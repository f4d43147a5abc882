package io.github.sdm.core.testkit;

import io.github.sdm.core.tensor.FloatTensor;
import java.util.Arrays;

/**
 * The one element-wise comparison of the tests: equal shapes, and the largest difference within a {@link Tolerance}.
 * A NaN on either side fails. The failure names the worst element, its two values and the bound.
 */
public final class Close {
    private Close() {
    }

    public static void assertClose(String what, FloatTensor expected, FloatTensor actual, Tolerance tolerance) {
        assertClose(what, toLongs(expected.shape()), expected.data(), toLongs(actual.shape()), actual.data(),
                tolerance);
    }

    /** For tensors whose shapes come as {@code long[]} (safetensors headers, DJL arrays). */
    public static void assertClose(String what, long[] expectedShape, float[] expected, long[] actualShape,
            float[] actual, Tolerance tolerance) {
        if (!Arrays.equals(expectedShape, actualShape)) {
            throw new AssertionError(what + ": shape " + Arrays.toString(actualShape) + ", expected "
                    + Arrays.toString(expectedShape));
        }
        assertClose(what, expected, actual, tolerance);
    }

    /** Flat arrays of equal length. */
    public static void assertClose(String what, float[] expected, float[] actual, Tolerance tolerance) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": " + actual.length + " elements, expected " + expected.length);
        }
        double bound = tolerance.bound(expected);
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= worst)) { // a NaN difference is worse than any number
                worst = d;
                worstAt = i;
            }
        }
        if (!(worst <= bound)) {
            throw new AssertionError(what + ": max |difference| " + worst + " at flat index " + worstAt
                    + " (expected " + expected[worstAt] + ", got " + actual[worstAt] + "), tolerance " + bound
                    + " (" + tolerance + ")");
        }
    }

    private static long[] toLongs(int[] shape) {
        return Arrays.stream(shape).asLongStream().toArray();
    }
}
