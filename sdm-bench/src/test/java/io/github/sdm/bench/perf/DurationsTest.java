package io.github.sdm.bench.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        Durations d = Durations.ofNanos(List.of(30L, 10L, 20L));
        assertEquals(Duration.ofNanos(20), d.median());
        assertEquals(Duration.ofNanos(10), d.min());
        assertEquals(Duration.ofNanos(30), d.max());
        assertEquals(3, d.count());
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(Duration.ofNanos(25), Durations.ofNanos(List.of(40L, 10L, 30L, 20L)).median());
        assertEquals(Duration.ofNanos(7), Durations.ofNanos(List.of(7L)).median());
    }

    @Test
    void noMeasurementIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Durations(List.of()));
    }
}
