package io.github.sdm.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.GenerationCancelledException;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.LoraAdapter;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.spi.LoraSession;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.core.testkit.TestData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public API's behaviour around the networks, on plain-Java fake networks (see {@link FakeBackend}). */
class StableDiffusionApiTest {
    static final Path MODEL = TestData.tinySd();
    private static StableDiffusion sd;

    @BeforeAll
    static void load() {
        sd = StableDiffusion.load(MODEL);
    }

    @AfterAll
    static void close() {
        sd.close();
    }

    @AfterEach
    void resetFakes() {
        FakeBackend.nanFromCall = -1;
    }

    @Test
    void aBackendThatCannotMergeLoraRefusesALoadWithAdapters() {
        SdmException e = assertThrows(SdmException.class, () -> StableDiffusion.load(ModelLocation.folder(MODEL),
                LoadOptions.defaults().withLora(Path.of("style.safetensors"), 0.7)));
        assertTrue(e.getMessage().contains("fake backend cannot merge LoRA") && e.getMessage().contains("style"),
                e.getMessage());
    }

    @Test
    void applyLoraOnABackendThatCannotMergeIsRefused() {
        SdmException e = assertThrows(SdmException.class, () -> sd.applyLora(Path.of("style.safetensors"), 1));
        assertTrue(e.getMessage().contains("cannot merge LoRA"), e.getMessage());
    }

    @Test
    void loraOnTheRequestCollectsTheAdaptersInOneSessionExtension() {
        GenerationRequest request = sd.txt2img("x").lora(Path.of("a.safetensors"), 0.5)
                .lora(Path.of("b.safetensors"), 1).request();
        assertEquals(List.of(new LoraSession(List.of(new LoraAdapter(Path.of("a.safetensors"), 0.5),
                new LoraAdapter(Path.of("b.safetensors"), 1)))), request.extensions());
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> sd.txt2img("x").lora(Path.of("a.safetensors"), Double.NaN));
        assertTrue(e.getMessage().contains("a.safetensors") && e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void sameSeedGivesSameLatentsAndOtherSeedDiffers() {
        GenerationResult a = sd.txt2img("a cat").steps(4).sampler("euler_a").seed(7).generate();
        GenerationResult b = sd.txt2img("a cat").steps(4).sampler("euler_a").seed(7).generate();
        GenerationResult c = sd.txt2img("a cat").steps(4).sampler("euler_a").seed(8).generate();
        assertArrayEquals(a.finalLatents().data(), b.finalLatents().data());
        assertFalse(java.util.Arrays.equals(a.finalLatents().data(), c.finalLatents().data()));
        assertEquals(7, a.seed());
        assertArrayEquals(new int[] {1, 4, 8, 8}, a.finalLatents().shape());
        assertEquals(64, a.images().get(0).getWidth());
    }

    @Test
    void guidanceRunsNegativeThenPositiveBatchAndIsOffAtScaleOne() {
        sd.txt2img("a cat").negativePrompt("blurry").steps(3).guidance(7.5).batchSize(2).seed(1).sampler("ddim")
                .generate();
        assertEquals(3, FakeBackend.lastSession().calls().size());
        assertArrayEquals(new int[] {4, 4}, FakeBackend.lastSession().calls().get(0), "2 images x [uncond, cond]");
        float[] markers = FakeBackend.lastSession().contextMarkers().get(0);
        assertEquals(markers[0], markers[1], "the negative prompt's embedding first, once per image");
        assertEquals(markers[2], markers[3]);
        assertTrue(markers[0] != markers[2], "negative and positive prompt embeddings differ");

        sd.txt2img("a cat").steps(3).guidance(1.0).batchSize(2).seed(1).sampler("ddim").generate();
        assertArrayEquals(new int[] {2, 2}, FakeBackend.lastSession().calls().get(0), "no unconditional half without guidance");
    }

    @Test
    void progressIsReportedEveryStepAndTimingsCoverEveryCall() {
        List<Integer> seen = new ArrayList<>();
        GenerationResult r = sd.txt2img("x").steps(5).sampler("dpmpp_2m").seed(3)
                .listener(p -> seen.add(p.step() * 100 + p.totalSteps())).generate();
        assertEquals(List.of(105, 205, 305, 405, 505), seen);
        assertEquals(5, r.timings().unetCalls().size());
        assertEquals(5, r.timesteps().length);
        assertTrue(r.timings().total().compareTo(r.timings().unetTotal()) >= 0);
    }

    @Test
    void cancellingFromTheListenerStopsBeforeTheNextStep() {
        GenerationCancelledException e = assertThrows(GenerationCancelledException.class,
                () -> sd.txt2img("x").steps(10).seed(3).sampler("ddim").listener(p -> {
                    if (p.step() == 3) {
                        p.generation().cancel();
                    }
                }).generate());
        assertEquals(3, FakeBackend.lastSession().calls().size());
        assertTrue(e.getMessage().contains("3 of 10"), e.getMessage());
    }

    @Test
    void generationsRunConcurrentlyWithTheSameResults() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<GenerationResult>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(pool.submit(() -> sd.txt2img("a dog").steps(6).sampler("dpmpp_2m").seed(11).generate()));
            }
            float[] first = futures.get(0).get().finalLatents().data();
            for (Future<GenerationResult> f : futures) {
                assertArrayEquals(first, f.get().finalLatents().data());
            }
            // each session records into its own list: concurrent sessions do not mix their calls
            assertEquals(6, FakeBackend.lastSession().calls().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void img2imgStartsFromTheImageAtTheStrengthsTimestep() {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        GenerationResult r = sd.img2img(image, "a house").steps(10).strength(0.5).sampler("ddim").seed(2).generate();
        assertEquals(5, r.timesteps().length, "strength 0.5 of 10 steps");
        assertArrayEquals(new int[] {1, 4, 6, 8}, r.finalLatents().shape());

        InvalidRequestException odd = assertThrows(InvalidRequestException.class,
                () -> sd.img2img(new BufferedImage(60, 48, BufferedImage.TYPE_INT_RGB), "a house").generate());
        assertTrue(odd.getMessage().contains("60x48"), odd.getMessage());
        GenerationResult resized = sd.img2img(new BufferedImage(60, 50, BufferedImage.TYPE_INT_RGB), "a house")
                .size(64, 56).steps(4).sampler("ddim").seed(2).generate();
        assertArrayEquals(new int[] {1, 4, 7, 8}, resized.finalLatents().shape());
    }

    @Test
    void givenInitialLatentsAreUsedAndCheckedForShape() {
        FloatTensor start = FloatTensor.zeros(1, 4, 8, 8);
        GenerationResult r = sd.txt2img("x").steps(2).sampler("ddim").initialLatents(start).generate();
        assertEquals(1, r.images().size());
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> sd.txt2img("x").steps(2).sampler("ddim").initialLatents(FloatTensor.zeros(1, 4, 9, 8)).generate());
        assertTrue(e.getMessage().contains("[1, 4, 9, 8]"), e.getMessage());
    }

    @Test
    void badRequestsNameTheParameterAndValue() {
        assertMessage(() -> sd.txt2img("x").size(100, 64).generate(), "width", "100");
        assertMessage(() -> sd.txt2img("x").size(64, 0 - 8).generate(), "height", "-8");
        assertMessage(() -> sd.txt2img("x").steps(0).generate(), "steps", "0");
        assertMessage(() -> sd.txt2img("x").steps(-3).generate(), "steps", "-3");
        assertMessage(() -> sd.txt2img("x").guidance(Double.NaN).generate(), "guidance", "NaN");
        assertMessage(() -> sd.txt2img("x").batchSize(0).generate(), "batch", "0");
        assertMessage(() -> sd.txt2img(null).generate(), "prompt", "null");
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        assertMessage(() -> sd.img2img(image, "x").strength(1.5).generate(), "strength", "1.5");
        assertMessage(() -> sd.img2img(image, "x").strength(-0.1).generate(), "strength", "-0.1");
        assertMessage(() -> sd.txt2img("x").sampler("warp_drive").generate(), "warp_drive");
        assertMessage(() -> sd.txt2img("x").samplerOption("algorithm_type", "magic").sampler("dpmpp_2m").generate(),
                "algorithm_type", "magic");
    }

    @Test
    void aNanFromTheNetworksIsAnErrorNotABlackImage() {
        FakeBackend.nanFromCall = 2;
        SdmException e = assertThrows(SdmException.class,
                () -> sd.txt2img("x").steps(4).sampler("ddim").seed(1).generate());
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertTrue(e.getMessage().contains("step 3"), e.getMessage());
    }

    /**
     * A huge guidance scale used to end in "latents contain NaN" a step later; now the step it overflows names
     * the scale. The fake UNet's halves differ by at most 1 (0.001 per marker unit), so the guided prediction
     * reaches about 1e30 at step 1, beyond float32's normalizable 1.8e19.
     */
    @Test
    void aGuidanceScaleThatOverflowsIsNamed() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> sd.txt2img("a cat").negativePrompt("blurry").guidance(1e30).steps(4).sampler("ddim").seed(1)
                        .generate());
        assertTrue(e.getMessage().startsWith("guidance scale 1.0E30 is out of range: at step 1 the guided "
                + "prediction uncond + scale * (cond - uncond) reaches "), e.getMessage());
        assertTrue(e.getMessage().contains("diffusers' usual values are 1 to 20"), e.getMessage());
        sd.txt2img("a cat").negativePrompt("blurry").guidance(1e4).steps(4).sampler("ddim").seed(1).generate();
    }

    @Test
    void aTooLongPromptIsTruncatedNotRejected() {
        String longPrompt = "a very detailed painting of a cat ".repeat(20);
        GenerationResult r = sd.txt2img(longPrompt).steps(2).sampler("ddim").seed(1).generate();
        assertEquals(1, r.images().size());
    }

    @Test
    void clipSkipReachesTheTextEncoderAndIsCheckedAgainstItsLayers() {
        sd.txt2img("a cat").steps(1).guidance(1.0).seed(1).sampler("ddim").generate();
        float last = FakeBackend.lastSession().contextMarkers().get(0)[0];
        sd.txt2img("a cat").clipSkip(2).steps(1).guidance(1.0).seed(1).sampler("ddim").generate();
        assertEquals(last + 1000, FakeBackend.lastSession().contextMarkers().get(0)[0], "one layer skipped");
        assertMessage(() -> sd.txt2img("x").clipSkip(0).generate(), "clip skip", "0");
        assertMessage(() -> sd.txt2img("x").clipSkip(3).generate(), "clip skip 3", FakeBackend.TEXT_LAYERS + " layers");
    }

    @Test
    void aRequestBuiltWithoutTheModelRunsLikeTheBuildersAndCopiesThroughToBuilder() {
        GenerationRequest request = GenerationRequest.builder(Mode.TXT2IMG, "a cat").negativePrompt("blurry")
                .steps(3).sampler("ddim").seed(5L).batchSize(2).build();
        GenerationResult direct = sd.newGeneration(request).run();
        GenerationResult fluent = sd.txt2img("a cat").negativePrompt("blurry").steps(3).sampler("ddim").seed(5)
                .batchSize(2).generate();
        assertArrayEquals(fluent.finalLatents().data(), direct.finalLatents().data());
        GenerationRequest copy = request.toBuilder().steps(4).build();
        assertEquals(4, copy.steps());
        assertEquals("blurry", copy.negativePrompt());
        assertEquals(2, copy.batchSize());
        assertEquals(3, request.steps(), "the original is unchanged");
    }

    @Test
    void img2imgTimingsIncludeTheImageEncoding() {
        GenerationResult r = sd.img2img(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "x").steps(2)
                .sampler("ddim").seed(1).generate();
        assertTrue(r.timings().imageEncoding().toNanos() > 0);
        assertTrue(r.timings().textEncoding().toNanos() > 0);
        assertTrue(r.timings().imageDecoding().toNanos() > 0);
        assertEquals(r.timesteps().length, r.timings().unetCalls().size());
    }

    @Test
    void missingOrEmptyModelFoldersAreNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope");
        ModelFormatException e1 = assertThrows(ModelFormatException.class, () -> StableDiffusion.load(missing));
        assertTrue(e1.getMessage().contains(missing.toString()), e1.getMessage());
        Path empty = Files.createDirectory(dir.resolve("empty"));
        ModelFormatException e2 = assertThrows(ModelFormatException.class, () -> StableDiffusion.load(empty));
        assertTrue(e2.getMessage().contains("model_index.json"), e2.getMessage());
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String... fragments) {
        SdmException e = assertThrows(SdmException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should name " + fragment);
        }
    }
}
