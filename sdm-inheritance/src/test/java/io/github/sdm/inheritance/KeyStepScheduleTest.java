package io.github.sdm.inheritance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.InvalidRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact key-step lists of every schedule kind, and their agreement between isKey and keySteps. */
class KeyStepScheduleTest {

    @Test
    void uniformKeysEveryNthCall() {
        assertArrayEquals(new int[] {0, 3, 6, 9}, new KeyStepSchedule.Uniform(3).keySteps(10));
        assertArrayEquals(new int[] {0, 1, 2, 3}, new KeyStepSchedule.Uniform(1).keySteps(4));
        assertArrayEquals(new int[] {0}, new KeyStepSchedule.Uniform(5).keySteps(5));
        assertArrayEquals(new int[] {0}, new KeyStepSchedule.Uniform(2).keySteps(1));
    }

    @Test
    void bandsComputeTheEdgesInFullAndStepInBetween() {
        // first 2 and last 2 of 20 calls, every 4th from call 2 on
        assertArrayEquals(new int[] {0, 1, 2, 6, 10, 14, 18, 19}, new KeyStepSchedule.Bands(2, 2, 4).keySteps(20));
        assertArrayEquals(new int[] {0, 3, 6, 9}, new KeyStepSchedule.Bands(0, 0, 3).keySteps(10));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, new KeyStepSchedule.Bands(3, 3, 10).keySteps(5));
    }

    @Test
    void explicitKeysAlwaysIncludeCallZeroAndIgnoreCallsBeyondTheEnd() {
        KeyStepSchedule keys = KeyStepSchedule.Explicit.of(8, 1, 2, 4, 2);
        assertEquals(List.of(0, 1, 2, 4, 8), ((KeyStepSchedule.Explicit) keys).keys());
        assertArrayEquals(new int[] {0, 1, 2, 4}, keys.keySteps(8));
        assertArrayEquals(new int[] {0, 1, 2, 4, 8}, keys.keySteps(9));
        assertTrue(keys.isKey(4, 6));
        assertFalse(keys.isKey(3, 6));
    }

    @Test
    void quadraticKeysAreDensestAroundTheCentre() {
        // T = 50, N = 3: ceil(50/3) = 17 keys; p = 2 collides, p = 1.55 is the first with 17 distinct calls
        int[] keys = new KeyStepSchedule.Quadratic(3).keySteps(50);
        assertArrayEquals(new int[] {0, 4, 7, 10, 12, 14, 15, 16, 17, 19, 22, 25, 28, 32, 36, 40, 45}, keys);
        assertArrayEquals(new int[] {0, 7, 11, 14, 15, 16, 19, 24, 31, 39}, new KeyStepSchedule.Quadratic(5).keySteps(50));
        assertArrayEquals(new int[] {0, 2, 3, 4, 6}, new KeyStepSchedule.Quadratic(2).keySteps(10));
        assertArrayEquals(new int[] {0}, new KeyStepSchedule.Quadratic(7).keySteps(7));
        for (int total = 1; total <= 60; total++) {
            for (int n = 1; n <= 8; n++) {
                int[] k = new KeyStepSchedule.Quadratic(n, 0.3).keySteps(total);
                assertEquals((total + n - 1) / n, k.length, "T=" + total + " N=" + n);
                assertEquals(0, k[0]);
                for (int i = 1; i < k.length; i++) {
                    assertTrue(k[i] > k[i - 1] && k[i] < total, "T=" + total + " N=" + n);
                }
            }
        }
        // the centre moves the dense region
        int[] late = new KeyStepSchedule.Quadratic(5, 0.8).keySteps(50);
        assertTrue(late[late.length - 1] - late[late.length - 2] < late[2] - late[1], java.util.Arrays.toString(late));
    }

    @Test
    void isKeyAgreesWithKeyStepsForEveryKind() {
        List<KeyStepSchedule> schedules = List.of(new KeyStepSchedule.Uniform(4), new KeyStepSchedule.Bands(1, 3, 2),
                new KeyStepSchedule.Quadratic(3), KeyStepSchedule.Explicit.of(0, 5, 6, 30));
        for (KeyStepSchedule s : schedules) {
            int[] keys = s.keySteps(25);
            int found = 0;
            for (int i = 0; i < 25; i++) {
                boolean key = java.util.Arrays.binarySearch(keys, i) >= 0;
                assertEquals(key, s.isKey(i, 25), s.spec() + " call " + i);
                found += key ? 1 : 0;
            }
            assertEquals(keys.length, found);
            assertTrue(s.isKey(0, 25), s.spec());
        }
    }

    @Test
    void invalidArgumentsNameTheirValue() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> new KeyStepSchedule.Uniform(0));
        assertTrue(e.getMessage().contains("interval") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(InvalidRequestException.class, () -> new KeyStepSchedule.Quadratic(3, 1.5));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(InvalidRequestException.class, () -> KeyStepSchedule.Explicit.of(0, -2));
        assertTrue(e.getMessage().contains("-2"), e.getMessage());
        e = assertThrows(InvalidRequestException.class, () -> new KeyStepSchedule.Uniform(2).isKey(10, 10));
        assertTrue(e.getMessage().contains("10") && e.getMessage().contains("0..9"), e.getMessage());
        assertThrows(InvalidRequestException.class, () -> new KeyStepSchedule.Bands(-1, 0, 2));
        assertThrows(InvalidRequestException.class, () -> new KeyStepSchedule.Quadratic(2).keySteps(0));
    }
}
