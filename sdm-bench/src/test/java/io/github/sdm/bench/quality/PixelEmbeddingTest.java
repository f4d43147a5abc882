package io.github.sdm.bench.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sdm.bench.pipeline.InheritanceDeviation;
import io.github.sdm.core.tensor.FloatTensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PixelEmbeddingTest {

    @Test
    void boxAveragesEachChannelDownToSixteen() {
        int side = 32;
        float[] chw = new float[3 * side * side];
        // red plane: left half 1, right half 0; green all 0.5; blue a checkerboard averaging 0.5 per 2x2 box
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                chw[y * side + x] = x < side / 2 ? 1 : 0;
                chw[side * side + y * side + x] = 0.5f;
                chw[2 * side * side + y * side + x] = (x + y) % 2;
            }
        }
        float[] e = PixelEmbedding.of(chw, side);
        assertEquals(PixelEmbedding.LENGTH, e.length);
        assertEquals(1f, e[0]);
        assertEquals(0f, e[15]);
        assertEquals(0.5f, e[256 + 100]);
        assertEquals(0.5f, e[512 + 37]);
        assertThrows(IllegalArgumentException.class, () -> PixelEmbedding.of(new float[3 * 20 * 20], 20));
    }

    /** The deviation table reuses sdm bench's PSNR and mean absolute difference; their known values. */
    @Test
    void psnrOfKnownDifferences() {
        float[] a = new float[48];
        float[] b = new float[48];
        Arrays.fill(a, 0.5f);
        Arrays.fill(b, 0.6f);
        FloatTensor reference = new FloatTensor(a, new int[] {1, 3, 4, 4});
        FloatTensor changed = new FloatTensor(b, new int[] {1, 3, 4, 4});
        assertEquals(Double.POSITIVE_INFINITY, InheritanceDeviation.psnr(reference, reference));
        // every pixel off by 0.1: MSE 0.01, PSNR 10 log10(1 / 0.01) = 20 dB
        assertEquals(20.0, InheritanceDeviation.psnr(reference, changed), 1e-4);
        assertEquals(0.1, InheritanceDeviation.meanAbs(reference, changed), 1e-6);
        assertEquals(0.0, InheritanceDeviation.meanAbs(reference, reference));
    }
}
