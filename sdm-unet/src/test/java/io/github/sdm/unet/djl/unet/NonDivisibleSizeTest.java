package io.github.sdm.unet.djl.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.djl.nn.ForwardContext;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Latents whose sides the UNet's downsamplers do not halve evenly (72x72 pixels is a 9x9 latent; the tiny
 * UNet halves three times): as diffusers does, each upsampler resizes to the skip connection it meets instead
 * of doubling, so every multiple of the VAE's factor runs.
 */
class NonDivisibleSizeTest {

    @ParameterizedTest
    @CsvSource({"72, 72", "8, 8", "40, 24", "24, 136"})
    void txt2imgRunsAtEveryMultipleOfTheVaeFactor(int width, int height) {
        try (StableDiffusion sd = StableDiffusion.load(TestData.tinySd())) {
            GenerationResult result = sd.txt2img("a red apple").size(width, height).steps(2).seed(4).generate();
            assertEquals(width, result.images().get(0).getWidth());
            assertEquals(height, result.images().get(0).getHeight());
            assertArrayEquals(new int[] {1, 3, height, width}, result.decoded().shape());
            assertArrayEquals(new int[] {1, 4, height / 8, width / 8}, result.finalLatents().shape());
            for (float v : result.decoded().data()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    /** PyTorch's nearest to a size reads input {@code floor(i * in / out)}; worked out by hand here. */
    @Test
    void nearestToASizeReadsTheSourcePixelsPyTorchReads() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertRows(manager, 5, 9, 0, 0, 1, 1, 2, 2, 3, 3, 4);
            assertRows(manager, 3, 5, 0, 0, 1, 1, 2);
            assertRows(manager, 2, 3, 0, 0, 1);
            assertRows(manager, 1, 1, 0);
            // the 2x case is the plain doubling, bit for bit
            NDArray x = manager.randomNormal(new Shape(2, 3, 4, 5));
            assertArrayEquals(Upsample2D.nearest2x(x).toFloatArray(), Upsample2D.nearest(x, 8, 10).toFloatArray());
        }
    }

    /** An input of {@code in} rows whose values are their row numbers, resized to {@code out} rows and 1 column. */
    private static void assertRows(NDManager manager, int in, int out, float... expectedRows) {
        float[] rows = new float[in];
        IntStream.range(0, in).forEach(i -> rows[i] = i);
        NDArray x = manager.create(rows, new Shape(1, 1, in, 1));
        NDArray resized = Upsample2D.nearest(x, out, 1);
        assertEquals(new Shape(1, 1, out, 1), resized.getShape());
        assertArrayEquals(expectedRows, resized.toFloatArray());
        // and the same along the width
        assertArrayEquals(expectedRows, Upsample2D.nearest(x.transpose(0, 1, 3, 2), 1, out).toFloatArray());
    }

    @Test
    void theUNetKeepsANonDivisibleSampleSize() {
        try (NDManager manager = NDManager.newBaseManager();
                UNet2DConditionModel unet = UNet2DConditionModel.load(TestData.tinySd().resolve("unet"), manager)) {
            NDArray sample = manager.randomNormal(new Shape(2, 4, 9, 5));
            NDArray context = manager.randomNormal(new Shape(2, 77, 32));
            NDArray out = unet.forward(sample, manager.create(500f), context, ForwardContext.DEFAULT);
            assertEquals(new Shape(2, 4, 9, 5), out.getShape());
        }
    }
}
