package io.github.sdm.unet.djl.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.safetensors.SafetensorsWriter;
import io.github.sdm.core.safetensors.TensorSource;
import io.github.sdm.unet.weights.Int8WeightFiles;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An int8 weight file ({@link Int8WeightFiles}, written by {@link HeldWeightsWriter}) holds exactly what int8 storage
 * quantizes at load, and loads back to the same bits; files that break the convention are refused naming the key
 * and the file.
 */
class Int8WeightFileTest {
    /** Output channels of the layers: several per quantization slice, distinct magnitudes per channel. */
    private static final int OUT = 24;

    /** {@code block.proj} (Linear 40 -> 24 with bias) and {@code block.conv} (Conv 3 -> 24, 3x3, with bias). */
    static final class Block extends Part {
        Block() {
            super("block");
            child(new Linear(key("proj"), 40, OUT, true));
            child(new Conv2d(key("conv"), 3, OUT, 3, 1, 1));
        }

        @Override
        protected ai.djl.ndarray.NDList compute(ForwardContext ctx, ai.djl.ndarray.NDList inputs) {
            return inputs;
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "from {0} weights")
    @ValueSource(strings = {"F32", "F16"})
    void theFileHoldsTheWeightsQuantizedAtLoadBitForBit(String floatType) throws Exception {
        Path floats = new TestSafetensors().dtype(floatType)
                .put("block.proj.weight", ramp(OUT * 40, 0.37f), OUT, 40).put("block.proj.bias", ramp(OUT, 0.5f), OUT)
                .put("block.conv.weight", ramp(OUT * 3 * 9, -1.3f), OUT, 3, 3, 3).put("block.conv.bias", OUT)
                .write(dir.resolve("diffusion_pytorch_model.safetensors"));
        Path int8 = dir.resolve("diffusion_pytorch_model.int8.safetensors");
        try (NDManager manager = NDManager.newBaseManager(); SafetensorsFile f = SafetensorsFile.open(floats)) {
            Block atLoad = new Block();
            WeightLoader.load(atLoad, WeightSource.of(f), manager, Precision.INT8);
            HeldWeightsWriter.write(atLoad, int8, Map.of(Int8WeightFiles.METADATA_KEY, Int8WeightFiles.SCHEME));

            try (SafetensorsFile written = SafetensorsFile.open(int8)) {
                assertEquals(DType.I8, written.info("block.proj.weight").dtype());
                assertEquals(DType.F32, written.info("block.proj.weight_scale").dtype());
                assertEquals(DType.F32, written.info("block.proj.bias").dtype());
                assertEquals(6, written.names().size(), "two weights with scales, two biases: " + written.names());
                Block fromFile = new Block();
                WeightLoader.load(fromFile, WeightSource.of(written), manager, Precision.INT8);
                for (Parameter expected : atLoad.allParameters().values()) {
                    Parameter actual = fromFile.allParameters().get(expected.key());
                    assertEquals(expected.storagePrecision(), actual.storagePrecision(), expected.key());
                    assertSameBytes(expected.value(), actual.value(), expected.key());
                    if (expected.scales() == null) {
                        assertNull(actual.scales(), expected.key());
                    } else {
                        assertSameBytes(expected.scales(), actual.scales(), expected.key() + " scales");
                    }
                }
                // and the quantization itself is the in-memory one: per output channel, max|w| / 127
                Parameter proj = fromFile.allParameters().get("block.proj.weight");
                assertEquals(DataType.INT8, proj.value().getDataType());
                float[] w = new float[40];
                try (NDArray row = proj.convertedTo(DataType.FLOAT32)) {
                    float[] all = row.toFloatArray();
                    System.arraycopy(all, 5 * 40, w, 0, 40);
                }
                float scale = proj.scales().toFloatArray()[5];
                byte[] q = proj.value().toByteArray();
                for (int i = 0; i < 40; i++) {
                    assertEquals(q[5 * 40 + i] * scale, w[i], "dequantized = q * scale");
                }
            }
        }
    }

    /** A file holding int8 values: scales missing, of the wrong type or shape, int8 where no int8 belongs. */
    @Test
    void aBrokenInt8FileIsRefusedNamingTheKeyAndTheFile() throws Exception {
        assertRefused(int8File("no-scale", List.of()), Precision.INT8,
                "block.proj.weight: int8 values without their scales 'block.proj.weight_scale'");
        assertRefused(int8File("f16-scale", List.of(TensorSource.ofFloats("block.proj.weight_scale", DType.F16,
                new float[OUT], OUT))), Precision.INT8, "block.proj.weight_scale: dtype F16, expected F32");
        assertRefused(int8File("short-scale", List.of(TensorSource.ofFloats("block.proj.weight_scale", DType.F32,
                new float[OUT - 1], OUT - 1))), Precision.INT8,
                "block.proj.weight_scale: expected shape [" + OUT + "]");
        Path fine = int8File("fine", List.of(TensorSource.ofFloats("block.proj.weight_scale", DType.F32,
                new float[OUT], OUT)));
        assertRefused(fine, Precision.FP32, "block.proj.weight: int8 values (an int8 weight file");
        assertRefused(fine, Precision.FP16, "only int8 weight storage reads");
    }

    @Test
    void int8ValuesOnlyForConvolutionAndLinearWeights() throws Exception {
        Path file = dir.resolve("int8-bias.safetensors");
        SafetensorsWriter.write(file, List.of(
                TensorSource.ofFloats("block.proj.weight", DType.F32, new float[OUT * 40], OUT, 40),
                TensorSource.ofLongs("block.proj.bias", DType.I8, () -> new long[OUT], OUT),
                TensorSource.ofFloats("block.conv.weight", DType.F32, new float[OUT * 27], OUT, 3, 3, 3),
                TensorSource.ofFloats("block.conv.bias", DType.F32, new float[OUT], OUT)));
        assertRefused(file, Precision.INT8, "block.proj.bias: dtype I8, but only convolution and linear weights");
    }

    /** {@code block.proj.weight} as I8 values, the rest float, plus {@code extra} tensors. */
    private Path int8File(String name, List<TensorSource> extra) {
        List<TensorSource> tensors = new ArrayList<>(List.of(
                TensorSource.ofLongs("block.proj.weight", DType.I8, () -> new long[OUT * 40], OUT, 40),
                TensorSource.ofFloats("block.proj.bias", DType.F32, new float[OUT], OUT),
                TensorSource.ofFloats("block.conv.weight", DType.F32, new float[OUT * 27], OUT, 3, 3, 3),
                TensorSource.ofFloats("block.conv.bias", DType.F32, new float[OUT], OUT)));
        tensors.addAll(extra);
        Path file = dir.resolve(name + ".safetensors");
        SafetensorsWriter.write(file, tensors);
        return file;
    }

    private static void assertRefused(Path file, Precision storage, String expected) {
        try (NDManager manager = NDManager.newBaseManager(); SafetensorsFile f = SafetensorsFile.open(file)) {
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> WeightLoader.load(new Block(), WeightSource.of(f), manager, storage));
            String m = e.getMessage();
            assertTrue(m.contains(file.toString()), "names the file: " + m);
            assertTrue(m.contains(expected), "says '" + expected + "': " + m);
        }
    }

    private static void assertSameBytes(NDArray expected, NDArray actual, String what) {
        assertNotNull(actual, what);
        assertEquals(expected.getShape(), actual.getShape(), what);
        assertTrue(java.util.Arrays.equals(expected.toByteArray(), actual.toByteArray()), what + ": bytes differ");
    }

    /** Values from {@code -|top|} to {@code |top|}, with channel magnitudes that differ. */
    private static float[] ramp(int n, float top) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = top * (float) Math.sin(0.7 * i) * (1 + (i % 11)) / 11f;
        }
        return values;
    }
}
