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
    void quantizingInSlicesOfOutputChannelsGivesTheWholeWeightsValuesBitForBit() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(7);
            // 10 output channels of 3x2x2 (48 bytes each in float32): slices of 96 bytes hold 2 channels, 5 slices
            NDArray weight = manager.randomNormal(new Shape(10, 3, 2, 2)).mul(manager.arange(1f, 11f).reshape(10, 1, 1, 1));
            NDArray[] whole = WeightConversion.quantize(weight, Long.MAX_VALUE);
            NDArray[] sliced = WeightConversion.quantize(weight, 96);
            NDArray[] oddSlices = WeightConversion.quantize(weight, 3 * 48);
            for (NDArray[] q : new NDArray[][] {sliced, oddSlices}) {
                assertEquals(DataType.INT8, q[0].getDataType());
                assertEquals(weight.getShape(), q[0].getShape());
                assertArrayEquals(whole[0].toByteArray(), q[0].toByteArray());
                assertArrayEquals(whole[1].toFloatArray(), q[1].toFloatArray());
            }
            // a float16 weight is widened slice by slice, exactly: the same as quantizing its float32 widening
            NDArray half = weight.toType(DataType.FLOAT16, false);
            NDArray[] fromHalf = WeightConversion.quantize(half, 96);
            NDArray[] fromWidened = WeightConversion.quantize(half.toType(DataType.FLOAT32, false), Long.MAX_VALUE);
            assertArrayEquals(fromWidened[0].toByteArray(), fromHalf[0].toByteArray());
            assertArrayEquals(fromWidened[1].toFloatArray(), fromHalf[1].toFloatArray());
            assertEquals(DataType.FLOAT16, half.getDataType(), "the caller's weight is left as it was");
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
