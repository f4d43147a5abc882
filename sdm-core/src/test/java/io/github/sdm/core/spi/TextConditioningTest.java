package io.github.sdm.core.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sdm.core.tensor.FloatTensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextConditioningTest {
    private static FloatTensor rows(float... firstValues) {
        float[] data = new float[firstValues.length * 2];
        for (int b = 0; b < firstValues.length; b++) {
            data[2 * b] = firstValues[b];
            data[2 * b + 1] = firstValues[b] + 0.5f;
        }
        return new FloatTensor(data, new int[] {firstValues.length, 2});
    }

    @Test
    void repeatAndConcatApplyToEveryTensorAlike() {
        TextConditioning negative = new TextConditioning(rows(1), rows(10), Map.of("time_ids", rows(100)));
        TextConditioning positive = new TextConditioning(rows(2), rows(20), Map.of("time_ids", rows(200)));
        TextConditioning batch = TextConditioning.concat(negative.repeatEach(2), positive.repeatEach(2));
        assertArrayEquals(rows(1, 1, 2, 2).data(), batch.hiddenStates().data());
        assertArrayEquals(rows(10, 10, 20, 20).data(), batch.pooled().data());
        assertArrayEquals(rows(100, 100, 200, 200).data(), batch.extras().get("time_ids").data());
    }

    @Test
    void hiddenStatesAloneHaveNoPooledOrExtras() {
        TextConditioning c = TextConditioning.concat(TextConditioning.of(rows(1)), TextConditioning.of(rows(2)));
        assertNull(c.pooled());
        assertArrayEquals(rows(1, 2).data(), c.hiddenStates().data());
    }

    @Test
    void concatRefusesConditioningsOfDifferentTensors() {
        assertThrows(IllegalArgumentException.class, () -> TextConditioning.concat(
                TextConditioning.of(rows(1)), new TextConditioning(rows(2), rows(3), Map.of())));
    }
}
