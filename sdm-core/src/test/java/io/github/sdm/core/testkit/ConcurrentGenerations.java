package io.github.sdm.core.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Several generations at once on one loaded model, each compared with the same generation run alone. */
public final class ConcurrentGenerations {
    private ConcurrentGenerations() {
    }

    /** Generation number {@code index} of a test's set, on {@code sd}. */
    @FunctionalInterface
    public interface Generation {
        GenerationResult run(StableDiffusion sd, int index) throws Exception;
    }

    /**
     * Runs generations 0 to {@code expected.size() - 1} on {@code sd} three at a time and asserts each one's final
     * latents and decoded image equal {@code expected}'s bit for bit; then runs generation 0 once more after the
     * others (under per-stage residency: on networks loaded anew).
     */
    public static void assertEqualSequential(StableDiffusion sd, List<GenerationResult> expected, Generation generation)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<GenerationResult>> runs = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                int index = i;
                runs.add(pool.submit(() -> generation.run(sd, index)));
            }
            for (int i = 0; i < expected.size(); i++) {
                GenerationResult result = runs.get(i).get();
                assertArrayEquals(expected.get(i).finalLatents().data(), result.finalLatents().data(), "run " + i);
                assertArrayEquals(expected.get(i).decoded().data(), result.decoded().data(), "run " + i);
            }
            assertArrayEquals(expected.get(0).decoded().data(), generation.run(sd, 0).decoded().data());
        } finally {
            pool.shutdownNow();
        }
    }
}
