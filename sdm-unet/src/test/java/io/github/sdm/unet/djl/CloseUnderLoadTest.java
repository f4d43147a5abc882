package io.github.sdm.unet.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.ModelClosedException;
import io.github.sdm.core.testkit.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.Residency;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Closing a model at random moments while several threads generate on it: freeing the weights under a running
 * network call used to kill the JVM (SIGSEGV in libtorch). Now every generation either completes with the
 * numbers of an undisturbed run or stops with the "model was closed" error, and the JVM lives on; with
 * per-stage residency too, whose networks are loaded and released between the stages meanwhile.
 */
class CloseUnderLoadTest {
    private static final Path MODEL = TestData.tinySd();
    private static final int ROUNDS = 4;
    private static final int GENERATING_THREADS = 3;
    private static final long SEED = 5;

    @ParameterizedTest
    @EnumSource(Residency.class)
    void closeAtRandomMomentsUnderConcurrentGenerationsNeverCrashes(Residency residency) throws Exception {
        GenerationResult reference;
        try (StableDiffusion sd = StableDiffusion.load(MODEL)) {
            reference = generate(sd);
        }
        Random random = new Random(11);
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger stoppedByClose = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(GENERATING_THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                StableDiffusion sd = StableDiffusion.load(MODEL, LoadOptions.defaults().withResidency(residency));
                CountDownLatch firstCompleted = new CountDownLatch(1);
                List<Future<?>> generators = new ArrayList<>();
                for (int t = 0; t < GENERATING_THREADS; t++) {
                    generators.add(pool.submit(() -> {
                        while (true) {
                            GenerationResult result;
                            try {
                                result = generate(sd);
                            } catch (ModelClosedException e) {
                                assertTrue(e.getMessage().contains("closed"), e.getMessage());
                                stoppedByClose.incrementAndGet();
                                return null;
                            }
                            assertArrayEquals(reference.finalLatents().data(), result.finalLatents().data());
                            assertArrayEquals(reference.decoded().data(), result.decoded().data());
                            completed.incrementAndGet();
                            firstCompleted.countDown();
                        }
                    }));
                }
                if (round % 2 == 1) {
                    // odd rounds close while generations are surely under way, whatever the machine's speed
                    assertTrue(firstCompleted.await(60, TimeUnit.SECONDS));
                }
                Thread.sleep(random.nextInt(150));
                sd.close();
                sd.close();
                for (Future<?> generator : generators) {
                    generator.get(60, TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(ROUNDS * GENERATING_THREADS, stoppedByClose.get(), "every thread ends on the closed model");
        assertTrue(completed.get() >= ROUNDS / 2, "generations completed before the closes of the odd rounds");
    }

    private static GenerationResult generate(StableDiffusion sd) {
        return sd.txt2img("a lighthouse").steps(2).seed(SEED).generate();
    }
}
