package io.github.sdm.unet.djl.clip;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.djl.nn.InputShapeException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad token ids and an incomplete folder give clear errors, not engine failures. */
class CLIPTextModelInputTest {
    private static final CLIPTextConfig TINY =
            new CLIPTextConfig(100, 8, 16, 1, 2, 77, CLIPTextConfig.Activation.QUICK_GELU, 1e-5);

    @TempDir
    Path dir;

    @Test
    void rejectsIdsOutsideTheVocabulary() {
        try (NDManager manager = NDManager.newBaseManager();
                CLIPTextModel encoder = CLIPTextModel.random(TINY, 1, manager)) {
            NDArray ids = manager.create(new long[] {0, 5, 100}, new Shape(1, 3));
            InputShapeException e = assertThrows(InputShapeException.class, () -> encoder.encode(ids));
            assertTrue(e.getMessage().contains("[0, 100)") && e.getMessage().contains("to 100"), e.getMessage());
            NDArray negative = manager.create(new long[] {-1, 5}, new Shape(1, 2));
            assertThrows(InputShapeException.class, () -> encoder.encode(negative));
        }
    }

    @Test
    void rejectsSequencesLongerThanThePositionTableAndNonIntegerIds() {
        try (NDManager manager = NDManager.newBaseManager();
                CLIPTextModel encoder = CLIPTextModel.random(TINY, 1, manager)) {
            InputShapeException e = assertThrows(InputShapeException.class,
                    () -> encoder.encode(manager.zeros(new Shape(1, 78), DataType.INT64)));
            assertTrue(e.getMessage().contains("L <= 77") && e.getMessage().contains("(1, 78)"), e.getMessage());
            e = assertThrows(InputShapeException.class,
                    () -> encoder.encode(manager.zeros(new Shape(1, 77), DataType.FLOAT32)));
            assertTrue(e.getMessage().contains("float32"), e.getMessage());
        }
    }

    @Test
    void namesTheMissingWeightsFile() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 8, \"num_attention_heads\": 2}");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> CLIPTextModel.load(dir, manager));
            assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("model.safetensors"),
                    e.getMessage());
        }
    }
}
