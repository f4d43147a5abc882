package io.github.sdm.unet.djl.nn;

import static io.github.sdm.core.testkit.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.testkit.Tolerance;
import org.junit.jupiter.api.Test;

class AttentionCoreTest {
    /** Chunks compute the same products as the whole map: equal up to float rounding. */
    private static final Tolerance FLOAT_ROUNDING = Tolerance.ofPeak(1e-6);

    @Test
    void chunkedEqualsUnchunkedForEveryChunkShape() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(3);
            NDArray q = manager.randomNormal(new Shape(5, 37, 8));
            NDArray kt = manager.randomNormal(new Shape(5, 29, 8)).transpose(0, 2, 1);
            NDArray v = manager.randomNormal(new Shape(5, 29, 8));
            float[] whole = AttentionCore.attendAll(q, kt, v).toFloatArray();
            long queryBytes = 29 * Float.BYTES;
            // one query of one row; 3 queries; 2 whole rows with a remainder; explicit slices of 2 and 4
            long[][] cases = {{0, 1}, {0, 3 * queryBytes}, {0, 2 * 37 * queryBytes}, {2, 5 * queryBytes},
                {4, 1L << 30}};
            for (long[] c : cases) {
                float[] chunked = AttentionCore.attend(q, kt, v, (int) c[0], c[1]).toFloatArray();
                assertClose("slice " + c[0] + ", budget " + c[1], whole, chunked, FLOAT_ROUNDING);
            }
        }
    }

    @Test
    void defaultBudgetChunksAMapAboveItAndChangesNothing() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(4);
            // [3, 2100, 1000] floats = 24 MiB of scores: more than the 16 MiB budget (batched products)
            NDArray q = manager.randomNormal(new Shape(3, 2100, 4));
            NDArray kt = manager.randomNormal(new Shape(3, 1000, 4)).transpose(0, 2, 1);
            NDArray v = manager.randomNormal(new Shape(3, 1000, 4));
            assertClose("default budget", AttentionCore.attendAll(q, kt, v).toFloatArray(),
                    AttentionCore.attend(q, kt, v, 0).toFloatArray(), FLOAT_ROUNDING);
        }
    }

    @Test
    void convolutionRouteForLargeChunksEqualsTheBatchedProducts() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(5);
            // 3 heads of 1100 queries over 1030 keys: chunks of >= 1024 queries and keys take the route
            NDArray q = manager.randomNormal(new Shape(3, 1100, 8)).mul(0.3f);
            NDArray kt = manager.randomNormal(new Shape(3, 1030, 8)).transpose(0, 2, 1);
            NDArray v = manager.randomNormal(new Shape(3, 1030, 8));
            long budget = AttentionCore.CONVOLUTION_MIN_QUERIES * 1030 * Float.BYTES;
            assertArrayEquals(new long[] {1, AttentionCore.CONVOLUTION_MIN_QUERIES},
                    AttentionCore.chunkSizes(3, 1100, 1030, 0, budget));
            // another kernel sums the 1030 products in another order: float rounding of such sums
            assertClose("by convolution", AttentionCore.attendAll(q, kt, v).toFloatArray(),
                    AttentionCore.attend(q, kt, v, 0, budget).toFloatArray(), Tolerance.ofPeak(1e-5));
        }
    }

    @Test
    void chunksStayWithinTheBudget() {
        long budget = AttentionCore.SCORE_CHUNK_BYTES;
        // SD 1.5 at 512x512: self-attention at 4096 and 1024 tokens, cross-attention over 77 tokens
        assertArrayEquals(new long[] {1, 1024}, AttentionCore.chunkSizes(16, 4096, 4096, 0, budget));
        assertArrayEquals(new long[] {4, 1024}, AttentionCore.chunkSizes(16, 1024, 1024, 0, budget));
        assertArrayEquals(new long[] {13, 4096}, AttentionCore.chunkSizes(16, 4096, 77, 0, budget));
        // small maps stay whole
        assertArrayEquals(new long[] {16, 256}, AttentionCore.chunkSizes(16, 256, 256, 0, budget));
        // an explicit slice sets the rows; the queries still fit the budget
        assertArrayEquals(new long[] {3, 341}, AttentionCore.chunkSizes(16, 4096, 4096, 3, budget));
        // one query row of one batch-head row is the smallest chunk, even above the budget
        assertArrayEquals(new long[] {1, 1}, AttentionCore.chunkSizes(2, 8, 1L << 23, 0, budget));
        for (long keys : new long[] {77, 256, 1000, 4096, 16384}) {
            long[] chunk = AttentionCore.chunkSizes(16, 16384, keys, 0, budget);
            assertTrue(chunk[0] * chunk[1] * keys * Float.BYTES <= budget, keys + " keys");
        }
    }

}
