package io.github.sdm.bench.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class QualityPromptsTest {

    @Test
    void evenlySpacedPicksStepThroughTheWholeList() {
        List<Integer> items = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertEquals(List.of(0, 5), QualityPrompts.evenlySpaced(items, 2));
        assertEquals(List.of(0, 3, 6), QualityPrompts.evenlySpaced(items, 3));
        assertEquals(items, QualityPrompts.evenlySpaced(items, 10));
        assertEquals(items, QualityPrompts.evenlySpaced(items, 32));
    }
}
