package io.github.sdm.core.testkit;

import static io.github.sdm.core.testkit.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

/** The kit's comparison fails exactly where it should, and names the worst element. */
class CloseTest {

    @Test
    void boundsScaleAsNamed() {
        float[] small = {0.5f, -0.25f};
        float[] large = {4f, -8f};
        assertEquals(1e-3, Tolerance.absolute(1e-3).bound(large));
        assertEquals(0.5e-3, Tolerance.ofPeak(1e-3).bound(small), 1e-12);
        assertEquals(8e-3, Tolerance.ofPeak(1e-3).bound(large), 1e-12);
        assertEquals(1e-3, Tolerance.ofPeakAtLeastOne(1e-3).bound(small), 1e-12, "the peak is at least 1");
        assertEquals(8e-3, Tolerance.ofPeakAtLeastOne(1e-3).bound(large), 1e-12);
    }

    @Test
    void passesWithinTheBoundAndFailsBeyondItNamingTheWorstElement() {
        float[] expected = {1f, 2f, 3f};
        assertClose("within", expected, new float[] {1.0005f, 2f, 2.9995f}, Tolerance.absolute(1e-3));
        AssertionError e = assertThrows(AssertionError.class,
                () -> assertClose("beyond", expected, new float[] {1.0005f, 2.01f, 3f}, Tolerance.absolute(1e-3)));
        assertTrue(e.getMessage().startsWith("beyond: ") && e.getMessage().contains("flat index 1")
                && e.getMessage().contains("got 2.01"), e.getMessage());
    }

    @Test
    void aNanFailsOnEitherSide() {
        Tolerance loose = Tolerance.absolute(1e9);
        float[] one = {1f};
        float[] nan = {Float.NaN};
        assertThrows(AssertionError.class, () -> assertClose("actual", one, nan, loose));
        assertThrows(AssertionError.class, () -> assertClose("expected", nan, one, loose));
    }

    @Test
    void shapesAndLengthsMustAgree() {
        FloatTensor a = new FloatTensor(new float[] {1, 2, 3, 4}, new int[] {2, 2});
        FloatTensor b = new FloatTensor(new float[] {1, 2, 3, 4}, new int[] {4});
        AssertionError e = assertThrows(AssertionError.class, () -> assertClose("t", a, b, Tolerance.absolute(1)));
        assertTrue(e.getMessage().contains("shape [4], expected [2, 2]"), e.getMessage());
        assertThrows(AssertionError.class,
                () -> assertClose("n", new float[] {1, 2}, new float[] {1}, Tolerance.absolute(1)));
    }
}
