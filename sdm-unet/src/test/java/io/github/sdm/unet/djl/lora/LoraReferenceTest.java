package io.github.sdm.unet.djl.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.github.sdm.core.AppliedLora;
import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.testkit.Tolerance;
import io.github.sdm.unet.djl.DjlBackend;
import io.github.sdm.unet.lora.LoraFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * diffusers' end-to-end txt2img cases with a LoRA merged into the weights ({@code fixtures/tiny-lora}: a kohya
 * file with LoCon adapters on 3x3 convolutions and a diffusers file, multipliers 0.8, 1 and 0), through the
 * public API by both routes: merged at load ({@code LoadOptions.withLora}) and per generation
 * ({@code GenerationBuilder.lora}) on a plain model. Final latents within 1e-3, images within 2e-3.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoraReferenceTest {
    private static final Tolerance LATENTS = Tolerance.absolute(1e-3);
    private static final Tolerance IMAGE = Tolerance.absolute(2e-3);

    private StableDiffusion plain;
    private LoraFixture fixture;

    @BeforeAll
    void load() {
        plain = StableDiffusion.load(ModelLocation.folder(TestData.tinySd()), options());
        fixture = new LoraFixture();
    }

    @AfterAll
    void close() {
        fixture.close();
        plain.close();
    }

    private static LoadOptions options() {
        return LoadOptions.defaults().withBackend(new DjlBackend().name());
    }

    @TestFactory
    Stream<DynamicTest> everyReferenceCaseMergedAtLoad() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(id(c) + " merged " + c.get("lora_file").getAsString()
                + " x" + multiplier(c), () -> {
                    try (StableDiffusion merged = StableDiffusion.load(ModelLocation.folder(TestData.tinySd()),
                            options().withLora(file(c), multiplier(c)))) {
                        check(c, generate(merged, c).generate());
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> everyReferenceCasePerGeneration() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(id(c) + " per generation "
                + c.get("lora_file").getAsString() + " x" + multiplier(c),
                () -> check(c, generate(plain, c).lora(file(c), multiplier(c)).generate())));
    }

    /**
     * {@code StableDiffusion.applyLora} on a loaded model: the reference result while merged; merges undo in
     * reverse order only; afterwards the model gives its plain result bit for bit.
     */
    @Test
    void appliedToALoadedModelAndUnmergedBitForBit() throws IOException {
        JsonObject c = cases().stream().filter(x -> multiplier(x) != 0).findFirst().orElseThrow();
        float[] before = generate(plain, c).generate().finalLatents().data();
        AppliedLora first = plain.applyLora(file(c), multiplier(c));
        check(c, generate(plain, c).generate());
        AppliedLora second = plain.applyLora(TestData.fixture("tiny-lora/diffusers.safetensors"), 0.5);
        SdmException e = assertThrows(SdmException.class, first::unmerge);
        assertTrue(e.getMessage().contains("reverse order"), e.getMessage());
        second.unmerge();
        first.unmerge();
        assertFalse(first.isMerged() || second.isMerged());
        assertArrayEquals(before, generate(plain, c).generate().finalLatents().data(), "plain again");
    }

    /** applyLora waits for a running generation, which finishes with the plain weights; then the merge is made. */
    @Test
    void applyLoraWaitsForARunningGeneration() throws Exception {
        JsonObject c = cases().stream().filter(x -> multiplier(x) != 0).findFirst().orElseThrow();
        float[] before = generate(plain, c).generate().finalLatents().data();
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<GenerationResult> running = pool.submit(() -> generate(plain, c).listener(p -> {
                if (p.step() == 1) {
                    inStep.countDown();
                    awaitQuietly(release);
                }
            }).generate());
            assertTrue(inStep.await(60, TimeUnit.SECONDS), "the generation reached its first step");
            Future<AppliedLora> apply = pool.submit(() -> plain.applyLora(file(c), multiplier(c)));
            Thread.sleep(300);
            assertFalse(apply.isDone(), "applyLora waits while a generation runs");
            release.countDown();
            assertArrayEquals(before, running.get().finalLatents().data(), "the running generation kept its weights");
            try (AppliedLora merged = apply.get()) {
                check(c, generate(plain, c).generate());
            }
            assertArrayEquals(before, generate(plain, c).generate().finalLatents().data(), "plain again");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Multiplier 0 leaves every weight and every output exactly as the plain model's, by both routes. */
    @Test
    void multiplierZeroIsThePlainModelBitForBit() throws IOException {
        for (JsonObject c : cases()) {
            if (multiplier(c) != 0) {
                continue;
            }
            float[] expected = generate(plain, c).generate().finalLatents().data();
            assertArrayEquals(expected, generate(plain, c).lora(file(c), 0).generate().finalLatents().data(),
                    id(c) + " per generation");
            try (StableDiffusion merged = StableDiffusion.load(ModelLocation.folder(TestData.tinySd()),
                    options().withLora(file(c), 0))) {
                assertArrayEquals(expected, generate(merged, c).generate().finalLatents().data(), id(c) + " merged");
            }
        }
    }

    /**
     * Two concurrent generations on one model, one with a LoRA and one without, give what they give one after
     * the other: the per-generation route leaves the shared weights alone.
     */
    @Test
    void concurrentGenerationsWithAndWithoutLoraMatchSequentialRuns() throws Exception {
        JsonObject c = cases().stream().filter(x -> multiplier(x) != 0).findFirst().orElseThrow();
        float[] withLora = generate(plain, c).lora(file(c), multiplier(c)).generate().finalLatents().data();
        float[] without = generate(plain, c).generate().finalLatents().data();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 2; round++) {
                Future<GenerationResult> a = pool.submit(() -> generate(plain, c).lora(file(c), multiplier(c))
                        .generate());
                Future<GenerationResult> b = pool.submit(() -> generate(plain, c).generate());
                assertArrayEquals(withLora, a.get().finalLatents().data(), "with LoRA, round " + round);
                assertArrayEquals(without, b.get().finalLatents().data(), "without LoRA, round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private GenerationBuilder generate(StableDiffusion sd, JsonObject c) {
        return fixture.generate(sd, c);
    }

    private void check(JsonObject c, GenerationResult result) {
        fixture.check(c, result, LATENTS, IMAGE);
    }

    static List<JsonObject> cases() throws IOException {
        return LoraFixture.cases();
    }

    private static String id(JsonObject c) {
        return LoraFixture.id(c);
    }

    private static double multiplier(JsonObject c) {
        return LoraFixture.multiplier(c);
    }

    private static Path file(JsonObject c) {
        return LoraFixture.file(c);
    }
}
