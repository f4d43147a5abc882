package io.github.sdm.unet.djl.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.sdm.core.model.Precision;
import org.junit.jupiter.api.Test;

/** The compute and attention precision a context carries, and the casts at a network's boundary. */
class ForwardContextPrecisionTest {

    @Test
    void float32IsLeftAsItIsAndFloat16IsCastBothWays() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1.5f, -2f});
            assertSame(x, ForwardContext.DEFAULT.toComputeType(x), "the float32 path makes no copy");
            assertSame(x, ForwardContext.toFloat32(x));
            ForwardContext half = ForwardContext.DEFAULT.withComputePrecision(Precision.FP16);
            NDArray h = half.toComputeType(x);
            assertEquals(DataType.FLOAT16, h.getDataType());
            assertEquals(DataType.FLOAT32, ForwardContext.toFloat32(h).getDataType());
            assertEquals(Precision.FP16, half.attentionPrecision(), "attention follows the compute type by default");
            assertEquals(Precision.FP32, half.withAttentionPrecision(Precision.FP32).attentionPrecision());
        }
    }

    /** Neither can become an engine type here: INT8 is storage only, and DJL 0.35.1 aborts on a bfloat16 array. */
    @Test
    void int8AndBf16AreRefusedBeforeAnyArrayIsMade() {
        IllegalArgumentException int8 = assertThrows(IllegalArgumentException.class,
                () -> ForwardContext.DEFAULT.withComputePrecision(Precision.INT8));
        assertTrue(int8.getMessage().contains("storage type"), int8.getMessage());
        IllegalArgumentException bf16 = assertThrows(IllegalArgumentException.class,
                () -> ForwardContext.DEFAULT.withAttentionPrecision(Precision.BF16));
        assertTrue(bf16.getMessage().contains("no bfloat16 arrays"), bf16.getMessage());
    }
}
