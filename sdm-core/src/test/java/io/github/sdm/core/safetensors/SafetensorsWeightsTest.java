package io.github.sdm.core.safetensors;

import static io.github.sdm.core.safetensors.SafetensorsFileTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.testkit.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWeightsTest {
    private static final String INDEX = "diffusion_pytorch_model.safetensors.index.json";

    @TempDir
    Path dir;

    @Test
    void readsAShardedCheckpointThroughItsIndex() throws IOException {
        writeShardedPair(dir);
        try (SafetensorsWeights w = SafetensorsWeights.open(dir.resolve(INDEX))) {
            assertEquals(Set.of("a.weight", "a.bias", "b.weight"), w.names());
            assertArrayEquals(new float[] {1, 2, 3, 4}, w.floats("a.weight"));
            assertArrayEquals(new float[] {-1, 0.5f}, w.floats("b.weight"));
            assertArrayEquals(new long[] {2, 2}, w.info("a.weight").shape());
            assertEquals(dir.resolve("shard-00002-of-00002.safetensors").toAbsolutePath(),
                    w.fileOf("b.weight").toAbsolutePath());
            assertEquals(2, w.files().size());
            assertEquals("28", w.metadata().get("total_size"));
            assertMessage(assertThrows(ModelFormatException.class, () -> w.floats("c")), dir.resolve(INDEX), "'c'");
        }
    }

    @Test
    void missingShardIsNamed() throws IOException {
        writeShardedPair(dir);
        Files.delete(dir.resolve("shard-00002-of-00002.safetensors"));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> SafetensorsWeights.open(dir.resolve(INDEX)));
        assertMessage(e, dir.resolve(INDEX), "shard-00002-of-00002.safetensors", "missing");
    }

    @Test
    void tensorMissingFromItsShardIsNamed() throws IOException {
        writeShardedPair(dir);
        Files.writeString(dir.resolve(INDEX), "{\"weight_map\":{\"a.weight\":\"shard-00002-of-00002.safetensors\"}}");
        assertMessage(assertThrows(ModelFormatException.class, () -> SafetensorsWeights.open(dir.resolve(INDEX))),
                dir.resolve(INDEX), "'a.weight'", "shard-00002-of-00002.safetensors", "does not hold it");
    }

    @Test
    void badIndexFiles() throws IOException {
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(index, "{\"metadata\":{}}");
        assertMessage(assertThrows(ModelFormatException.class, () -> SafetensorsWeights.open(index)), index,
                "weight_map");
        Files.writeString(index, "{\"weight_map\":{\"x\":\"../outside.safetensors\"}}");
        assertMessage(assertThrows(ModelFormatException.class, () -> SafetensorsWeights.open(index)), index,
                "../outside.safetensors", "not a file in");
        Files.writeString(index, "{\"weight_map\":{\"x\":3}}");
        assertMessage(assertThrows(ModelFormatException.class, () -> SafetensorsWeights.open(index)), index,
                "'x'", "must name a shard file");
        Files.writeString(index, "{\"weight_map\":");
        assertMessage(assertThrows(ModelFormatException.class, () -> SafetensorsWeights.open(index)), index,
                "malformed JSON at line 1, column 15: the text ends too early");
        Path absent = dir.resolve("absent.safetensors.index.json");
        assertMessage(assertThrows(ModelFormatException.class, () -> SafetensorsWeights.open(absent)), absent,
                "not found");
    }

    @Test
    void opensTheComponentFoldersOfTheTinyPipeline() {
        Path pipe = TestData.tinySd();
        try (SafetensorsWeights unet = SafetensorsWeights.openComponent(pipe.resolve("unet"));
                SafetensorsWeights text = SafetensorsWeights.openComponent(pipe.resolve("text_encoder"))) {
            assertEquals("diffusion_pytorch_model.safetensors", unet.source().getFileName().toString());
            assertEquals("model.safetensors", text.source().getFileName().toString());
            TensorInfo embedding = text.info("text_model.embeddings.token_embedding.weight");
            assertArrayEquals(new long[] {49408, 32}, embedding.shape());
            assertEquals(49408 * 32, text.floats("text_model.embeddings.token_embedding.weight").length);
            assertTrue(unet.names().contains("conv_in.weight"), unet.names().toString());
        }
    }

    @Test
    void prefersPlainWeightsOverVariants() throws IOException {
        writeSingle(dir.resolve("diffusion_pytorch_model.safetensors"), 1);
        writeSingle(dir.resolve("diffusion_pytorch_model.fp16.safetensors"), 2);
        assertEquals("diffusion_pytorch_model.safetensors", ComponentWeightFiles.locate(dir, null).getFileName().toString());
        try (SafetensorsWeights w = SafetensorsWeights.openComponent(dir, "fp16")) {
            assertArrayEquals(new float[] {2}, w.floats("x"));
        }
        try (SafetensorsWeights w = SafetensorsWeights.openComponent(dir)) {
            assertArrayEquals(new float[] {1}, w.floats("x"));
        }
    }

    @Test
    void usesTheOnlyVariantWhenNoPlainFileExists() throws IOException {
        writeSingle(dir.resolve("diffusion_pytorch_model.fp16.safetensors"), 2);
        try (SafetensorsWeights w = SafetensorsWeights.openComponent(dir)) {
            assertArrayEquals(new float[] {2}, w.floats("x"));
        }
        writeSingle(dir.resolve("diffusion_pytorch_model.ema.safetensors"), 3);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsWeights.openComponent(dir));
        assertMessage(e, dir, "diffusion_pytorch_model.safetensors", "variants present: [ema, fp16]");
    }

    @Test
    void findsAShardIndexInAComponentFolder() throws IOException {
        writeShardedPair(dir);
        try (SafetensorsWeights w = SafetensorsWeights.openComponent(dir)) {
            assertEquals(INDEX, w.source().getFileName().toString());
            assertEquals(3, w.names().size());
        }
        Files.move(dir.resolve(INDEX), dir.resolve("diffusion_pytorch_model.safetensors.index.fp16.json"));
        try (SafetensorsWeights w = SafetensorsWeights.openComponent(dir, "fp16")) {
            assertEquals(3, w.names().size());
        }
    }

    @Test
    void emptyOrMissingComponentFolderIsNamed() throws IOException {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsWeights.openComponent(dir));
        assertMessage(e, dir, "No weights found", "diffusion_pytorch_model.safetensors",
                "diffusion_pytorch_model.safetensors.index.json", "model.safetensors");
        Files.writeString(dir.resolve("diffusion_pytorch_model.bin"), "pickle");
        e = assertThrows(ModelFormatException.class, () -> SafetensorsWeights.openComponent(dir));
        assertMessage(e, dir, ".bin");
        e = assertThrows(ModelFormatException.class, () -> SafetensorsWeights.openComponent(dir, "fp16"));
        assertMessage(e, dir, "diffusion_pytorch_model.fp16.safetensors");
        Path absent = dir.resolve("unet");
        assertMessage(assertThrows(ModelFormatException.class, () -> SafetensorsWeights.openComponent(absent)), absent,
                "Component folder not found");
    }

    private static void writeSingle(Path path, float value) {
        SafetensorsWriter.write(path, List.of(TensorSource.ofFloats("x", DType.F32, new float[] {value}, 1)));
    }

    static void writeShardedPair(Path dir) throws IOException {
        SafetensorsWriter.write(dir.resolve("shard-00001-of-00002.safetensors"), Map.of("format", "pt"), List.of(
                TensorSource.ofFloats("a.weight", DType.F32, new float[] {1, 2, 3, 4}, 2, 2),
                TensorSource.ofFloats("a.bias", DType.F16, new float[] {0, 0}, 2)));
        SafetensorsWriter.write(dir.resolve("shard-00002-of-00002.safetensors"), Map.of("format", "pt"), List.of(
                TensorSource.ofFloats("b.weight", DType.F32, new float[] {-1, 0.5f}, 2)));
        Files.writeString(dir.resolve(INDEX), """
                {
                  "metadata": {"total_size": 28},
                  "weight_map": {
                    "a.bias": "shard-00001-of-00002.safetensors",
                    "a.weight": "shard-00001-of-00002.safetensors",
                    "b.weight": "shard-00002-of-00002.safetensors"
                  }
                }
                """);
    }
}
