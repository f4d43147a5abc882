package io.github.sdm.unet.djl.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightLoaderTest {

    /** A two-layer tree: {@code block.proj} (Linear 3->2 with bias) and {@code block.conv} (Conv 2->4, 3x3). */
    static final class Block extends Part {
        Block() {
            super("block");
            child(new Linear(key("proj"), 3, 2, true));
            child(new Conv2d(key("conv"), 2, 4, 3, 1, 1));
        }

        @Override
        protected NDList compute(ForwardContext ctx, NDList inputs) {
            return inputs;
        }
    }

    @TempDir
    Path dir;

    @Test
    void loadsMatchingWeightsExactly() throws Exception {
        float[] w = {1, 2, 3, 4, 5, 6};
        Path file = new TestSafetensors().put("block.proj.weight", w, 2, 3).put("block.proj.bias", 2)
                .put("block.conv.weight", 4, 2, 3, 3).put("block.conv.bias", 4).write(dir.resolve("ok.safetensors"));
        Block block = new Block();
        try (NDManager manager = NDManager.newBaseManager(); SafetensorsFile f = SafetensorsFile.open(file)) {
            WeightLoader.load(block, WeightSource.of(f), manager);
            assertArrayEquals(w, block.allParameters().get("block.proj.weight").value().toFloatArray());
        }
    }

    @Test
    void convertsHalfAndBfloat16ToFloat32() throws Exception {
        float[] w = {1.5f, -2.25f, 0.125f, 3f, -0.5f, 6f}; // exact in both 16-bit formats
        Path file = new TestSafetensors().dtype("F16").put("block.proj.weight", w, 2, 3).put("block.proj.bias", 2)
                .dtype("BF16").put("block.conv.weight", 4, 2, 3, 3).put("block.conv.bias", new float[] {1, -1, 2, 0.5f}, 4)
                .write(dir.resolve("half.safetensors"));
        Block block = new Block();
        try (NDManager manager = NDManager.newBaseManager(); SafetensorsFile f = SafetensorsFile.open(file)) {
            WeightLoader.load(block, WeightSource.of(f), manager);
            var params = block.allParameters();
            assertArrayEquals(w, params.get("block.proj.weight").value().toFloatArray());
            assertArrayEquals(new float[] {1, -1, 2, 0.5f}, params.get("block.conv.bias").value().toFloatArray());
            assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, params.get("block.conv.weight").value().getDataType());
        }
    }

    @Test
    void reportsEveryMissingUnexpectedAndMismatchedKeyInOneMessage() throws Exception {
        Path file = new TestSafetensors()
                .put("block.proj.weight", 3, 2) // transposed
                .put("block.conv.weight", 4, 2, 3, 3)
                .put("block.conv.bias", 5) // wrong length
                .put("block.extra.weight", 1) // not in the model
                .write(dir.resolve("bad.safetensors"));
        try (NDManager manager = NDManager.newBaseManager(); SafetensorsFile f = SafetensorsFile.open(file)) {
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> WeightLoader.load(new Block(), WeightSource.of(f), manager));
            String m = e.getMessage();
            assertTrue(m.contains("bad.safetensors"), m);
            assertTrue(m.contains("1 missing, 1 unexpected, 2 mismatched"), m);
            assertTrue(m.contains("block.proj.bias [2]"), m);
            assertTrue(m.contains("block.extra.weight"), m);
            assertTrue(m.contains("block.proj.weight: expected shape [2, 3], found [3, 2]"), m);
            assertTrue(m.contains("block.conv.bias: expected shape [4], found [5]"), m);
        }
    }

    @Test
    void renamedViewMapsKeysAndNamesItselfInErrors() throws Exception {
        Path file = new TestSafetensors().put("model.p.weight", 2, 3).put("model.p.bias", 2)
                .put("model.c.weight", 4, 2, 3, 3).put("other.x", 1).write(dir.resolve("ldm.safetensors"));
        try (NDManager manager = NDManager.newBaseManager(); SafetensorsFile f = SafetensorsFile.open(file)) {
            WeightSource view = WeightSource.of(f).under("model.")
                    .renamed("ldm names", k -> "block." + k.replace("p.", "proj.").replace("c.", "conv."));
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> WeightLoader.load(new Block(), view, manager));
            String m = e.getMessage();
            assertTrue(m.contains("ldm.safetensors (keys under 'model.') (ldm names)"), m);
            assertTrue(m.contains("1 missing, 0 unexpected, 0 mismatched"), m);
            assertTrue(m.contains("block.conv.bias [4]"), m);
        }
    }
}
