package io.github.sdm.inheritance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.core.testkit.TestData;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Feature inheritance through the public API and the DJL backend, on the embedded tiny model. */
class PipelineInheritanceTest {
    private static final Path LORA = Path.of("../sdm-unet/src/test/resources/fixtures/tiny-lora/kohya.safetensors");
    private static StableDiffusion sd;

    @BeforeAll
    static void load() {
        sd = StableDiffusion.load(TestData.tinySd());
    }

    @AfterAll
    static void close() {
        sd.close();
    }

    private static float[] latents(GenerationBuilder builder, String spec) {
        if (spec != null) {
            builder.with(FeatureInheritance.parse(spec));
        }
        return builder.generate().finalLatents().data();
    }

    private static GenerationBuilder txt2img() {
        return sd.txt2img("a red apple").negativePrompt("blurry").steps(6).sampler("dpmpp_2m").seed(5);
    }

    @Test
    void everyCallAKeyStepGivesTheSameImageAsNoInheritance() {
        float[] plain = latents(txt2img(), null);
        for (String spec : List.of("block:2:interval=1", "layer:deep:interval=1", "unit:attn1,attn2,ff:interval=1")) {
            assertArrayEquals(plain, latents(txt2img(), spec), spec);
        }
    }

    /** 72x40 pixels is a 9x5 latent, which the tiny UNet cannot halve evenly: the cut paths resize like the whole pass. */
    @Test
    void atASizeTheUNetDoesNotHalveEvenlyTheCutPassesEqualThePlainPass() {
        float[] plain = latents(txt2img().size(72, 40), null);
        for (String spec : List.of("block:1:interval=1", "block:2:interval=1", "block:4:interval=1",
                "layer:deep:interval=1")) {
            assertArrayEquals(plain, latents(txt2img().size(72, 40), spec), spec);
        }
        for (float v : latents(txt2img().size(72, 40), "deepcache")) {
            assertTrue(Float.isFinite(v));
        }
    }

    /**
     * A per-generation LoRA (an interceptor inside the inheritance's) composes with feature inheritance: with every
     * call a key step the result is the LoRA's alone, bit for bit; with reuse the cached features carry the adapter.
     */
    @Test
    void perGenerationLoraComposesWithInheritance() {
        float[] lora = latents(txt2img().lora(LORA, 0.8), null);
        assertFalse(Arrays.equals(latents(txt2img(), null), lora), "the adapter changes the image");
        for (String spec : List.of("block:2:interval=1", "layer:deep:interval=1", "unit:attn1,attn2,ff:interval=1")) {
            assertArrayEquals(lora, latents(txt2img().lora(LORA, 0.8), spec), spec);
        }
        float[] cachedWithLora = latents(txt2img().lora(LORA, 0.8), "deepcache");
        assertFalse(Arrays.equals(latents(txt2img(), "deepcache"), cachedWithLora), "deepcache with the adapter");
    }

    @Test
    void reuseChangesTheImageButStaysFinite() {
        float[] plain = latents(txt2img(), null);
        for (String spec : List.of("deepcache", "layer:deep:interval=2", "unit:attn2,ff:interval=3")) {
            float[] cached = latents(txt2img(), spec);
            assertFalse(Arrays.equals(plain, cached), spec + " must reuse something");
            for (float v : cached) {
                assertTrue(Float.isFinite(v), spec);
            }
        }
    }

    @Test
    void twoCallSamplersImg2ImgAndBatchesRunTheirWholeSchedule() {
        // Heun calls the UNet twice per step: the schedule is over calls, and the session knows their number
        var heun = sd.txt2img("a boat").steps(4).sampler("heun").seed(2).with(FeatureInheritance.parse(
                "block:2:interval=2")).generate();
        assertEquals(7, heun.timesteps().length, "Heun: 2 calls per step but the last");
        FloatTensor init = txt2img().generate().decoded();
        var img2img = sd.img2img(init, "a pear").strength(0.5).steps(6).sampler("euler").seed(3)
                .with(FeatureInheritance.preset("deepcache")).generate();
        assertEquals(3, img2img.timesteps().length, "img2img at strength 0.5 runs half the steps");
        var batch = sd.txt2img("a cat").steps(3).batchSize(2).seed(4)
                .with(FeatureInheritance.parse("unit:attn1:interval=2")).generate();
        assertEquals(2, batch.images().size());
    }
}
