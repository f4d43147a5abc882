package io.github.sdm.unet.djl.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Per-output-channel symmetric int8 quantization and the conversions layers make per call. */
class WeightConversionTest {

    @Test
    void int8ValuesRoundTripWithinHalfAStepOfTheirChannel() {
        // three output channels of different magnitudes, the last all zero
        float[] w = {0.5f, -1.0f, 0.25f, 0.1f, 0.003f, -0.002f, 0.001f, 0.0f, 0f, 0f, 0f, 0f};
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(w, new Shape(3, 2, 2));
            NDArray[] quantized = WeightConversion.quantize(weight);
            assertEquals(DataType.INT8, quantized[0].getDataType());
            float[] scales = quantized[1].toFloatArray();
            assertArrayEquals(new float[] {1.0f / 127, 0.003f / 127, 1f}, scales, 1e-9f);
            byte[] q = quantized[0].toByteArray();
            assertEquals(-127, q[1], "the channel's peak maps to the last level");
            assertEquals(127, q[4]);
            float[] back = WeightConversion.toType(quantized[0], quantized[1], DataType.FLOAT32).toFloatArray();
            for (int i = 0; i < w.length; i++) {
                float step = scales[i / 4];
                assertTrue(Math.abs(back[i] - w[i]) <= step / 2 * 1.0001f, i + ": " + back[i] + " vs " + w[i]);
            }
            assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, java.util.Arrays.copyOfRange(back, 8, 12));
        }
    }

    @Test
    void float16WidensExactlyAndConvertsToTheComputeType() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray half = manager.create(new float[] {0.1f, -3.5f, 65504f}).toType(DataType.FLOAT16, false);
            NDArray wide = WeightConversion.toType(half, null, DataType.FLOAT32);
            assertEquals(DataType.FLOAT32, wide.getDataType());
            assertArrayEquals(new float[] {0.099975586f, -3.5f, 65504f}, wide.toFloatArray());
            NDArray[] quantized = WeightConversion.quantize(manager.create(new float[] {2f, -1f}, new Shape(1, 2)));
            NDArray asHalf = WeightConversion.toType(quantized[0], quantized[1], DataType.FLOAT16);
            assertEquals(DataType.FLOAT16, asHalf.getDataType());
            assertArrayEquals(new float[] {2f, -1.0078740f},
                    asHalf.toType(DataType.FLOAT32, false).toFloatArray(), 1e-3f);
        }
    }
}
