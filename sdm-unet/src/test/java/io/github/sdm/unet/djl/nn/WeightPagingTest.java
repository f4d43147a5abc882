package io.github.sdm.unet.djl.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.unet.weights.WeightSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Weight paging ({@link ForwardContext#withWeightPaging}): a layer whose weights view the model file gives its pages
 * back after its call (the process's file-backed resident set falls by about the weight's size) and computes the
 * same values, bit for bit, from the pages it reads again.
 */
class WeightPagingTest {
    /** 2048 x 2048 weights: 16 MiB in F32, 8 MiB in F16. */
    private static final int FEATURES = 2048;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} file held as {1}")
    @CsvSource({"F32, FP32", "F16, FP16"})
    void aPagedLayerLeavesTheResidentSetAndComputesTheSameValues(String fileType, Precision storage)
            throws IOException {
        assumeTrue(MappedPages.canEvict(), "madvise(MADV_DONTNEED) is Linux's");
        long weightKiB = (fileType.equals("F32") ? 4L : 2L) * FEATURES * FEATURES / 1024;
        Path file = new TestSafetensors().dtype(fileType).put("big.weight", FEATURES, FEATURES).put("big.bias", FEATURES)
                .write(dir.resolve("big.safetensors"));
        Linear layer = new Linear("big", FEATURES, FEATURES, true);
        try (NDManager manager = NDManager.newBaseManager(); SafetensorsFile f = SafetensorsFile.open(file)) {
            WeightLoader.load(layer, WeightSource.of(f), manager, storage);
            manager.getEngine().setRandomSeed(5);
            NDArray x = manager.randomNormal(new Shape(4, FEATURES));
            float[] resident = layer.forward(ForwardContext.DEFAULT, x).toFloatArray();
            long afterResident = MappedPagesTest.fileResidentKiB();
            float[] paged = layer.forward(ForwardContext.DEFAULT.withWeightPaging(true), x).toFloatArray();
            long afterPaged = MappedPagesTest.fileResidentKiB();
            assertArrayEquals(resident, paged, "the same values from the pages read again");
            assertTrue(afterResident - afterPaged > weightKiB * 3 / 4, "file-backed resident set " + afterResident
                    + " kB after the plain call, " + afterPaged + " kB after the paged one (weights: " + weightKiB
                    + " kB)");
            // the next call reads the weights again, and the plain call after it still computes the same
            assertArrayEquals(resident, layer.forward(ForwardContext.DEFAULT.withWeightPaging(true), x).toFloatArray());
            assertArrayEquals(resident, layer.forward(ForwardContext.DEFAULT, x).toFloatArray());
        }
    }

    /** int8 weights read from an int8 weight file are views of its mapping too, and leave the resident set alike. */
    @Test
    void int8WeightsFromAnInt8FileArePagedToo() throws IOException {
        assumeTrue(MappedPages.canEvict(), "madvise(MADV_DONTNEED) is Linux's");
        long weightKiB = (long) FEATURES * FEATURES / 1024;
        Path floats = new TestSafetensors().put("big.weight", FEATURES, FEATURES).put("big.bias", FEATURES)
                .write(dir.resolve("big.safetensors"));
        Path int8 = dir.resolve("big.int8.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear quantizedAtLoad = new Linear("big", FEATURES, FEATURES, true);
            try (SafetensorsFile f = SafetensorsFile.open(floats)) {
                WeightLoader.load(quantizedAtLoad, WeightSource.of(f), manager, Precision.INT8);
            }
            HeldWeightsWriter.write(quantizedAtLoad, int8, Map.of());
            Linear layer = new Linear("big", FEATURES, FEATURES, true);
            try (SafetensorsFile f = SafetensorsFile.open(int8)) {
                WeightLoader.load(layer, WeightSource.of(f), manager, Precision.INT8);
            }
            manager.getEngine().setRandomSeed(5);
            NDArray x = manager.randomNormal(new Shape(4, FEATURES));
            float[] atLoad = quantizedAtLoad.forward(ForwardContext.DEFAULT, x).toFloatArray();
            float[] resident = layer.forward(ForwardContext.DEFAULT, x).toFloatArray();
            long afterResident = MappedPagesTest.fileResidentKiB();
            float[] paged = layer.forward(ForwardContext.DEFAULT.withWeightPaging(true), x).toFloatArray();
            long afterPaged = MappedPagesTest.fileResidentKiB();
            assertArrayEquals(atLoad, resident, "the file's weights compute what the weights quantized at load do");
            assertArrayEquals(resident, paged, "the same values from the pages read again");
            assertTrue(afterResident - afterPaged > weightKiB * 3 / 4, "file-backed resident set " + afterResident
                    + " kB after the plain call, " + afterPaged + " kB after the paged one (int8 weights: " + weightKiB
                    + " kB)");
            assertArrayEquals(resident, layer.forward(ForwardContext.DEFAULT, x).toFloatArray());
        }
    }
}
