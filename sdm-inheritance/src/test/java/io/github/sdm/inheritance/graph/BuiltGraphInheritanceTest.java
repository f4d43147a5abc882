package io.github.sdm.inheritance.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.testkit.Close;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.testkit.Tolerance;
import io.github.sdm.inheritance.FeatureInheritance;
import io.github.sdm.inheritance.InheritancePreset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Feature inheritance on the graphs sdm builds (the onnx backend on the tiny model's diffusers folder) against the
 * DJL backend's, through the public API: every preset, and the levels' edge depths and selectors, give the DJL
 * backend's final latents within the backends' latent tolerance; a schedule that never reuses gives the plain built
 * graph's latents bit for bit; generations running at once on one loaded model give what they give one at a time.
 */
class BuiltGraphInheritanceTest {
    /** The tolerance the backends' plain generations are held to ({@code BackendParitySuite}). */
    private static final Tolerance LATENTS = Tolerance.absolute(1e-3);
    private static StableDiffusion djl;
    private static StableDiffusion onnx;

    @BeforeAll
    static void load() {
        djl = StableDiffusion.load(TestData.tinySd());
        onnx = StableDiffusion.load(TestData.tinySd(), LoadOptions.defaults().withBackend("onnx"));
    }

    @AfterAll
    static void close() {
        djl.close();
        onnx.close();
    }

    private static GenerationBuilder txt2img(StableDiffusion sd) {
        return sd.txt2img("a red apple").negativePrompt("blurry").steps(6).sampler("dpmpp_2m").seed(5);
    }

    private static float[] latents(StableDiffusion sd, String spec) {
        return latents(txt2img(sd), spec);
    }

    private static float[] latents(GenerationBuilder builder, String spec) {
        if (spec != null) {
            builder.with(FeatureInheritance.parse(spec));
        }
        return builder.generate().finalLatents().data();
    }

    @Test
    void everyPresetMatchesTheDjlBackend() {
        float[] plain = latents(onnx, null);
        for (InheritancePreset preset : InheritancePreset.values()) {
            float[] built = latents(onnx, preset.spec());
            Close.assertClose(preset.presetName(), latents(djl, preset.spec()), built, LATENTS);
            assertFalse(Arrays.equals(plain, built), preset.presetName() + " must reuse something");
        }
    }

    /** The shallowest and deepest cuts, other selectors and schedules, and a sampler that calls twice per step. */
    @Test
    void edgeDepthsSelectorsSchedulesAndHeunMatchTheDjlBackend() {
        for (String spec : List.of("block:1:interval=2", "block:12:interval=2", "layer:mid:interval=3",
                "layer:up_blocks.3:bands=1,1,interval=2", "unit:ff,down:keys=0,3")) {
            Close.assertClose(spec, latents(djl, spec), latents(onnx, spec), LATENTS);
        }
        Function<StableDiffusion, GenerationBuilder> heun = sd -> sd.txt2img("a boat").steps(4).sampler("heun").seed(2);
        Close.assertClose("heun", latents(heun.apply(djl), "block:2:interval=2"),
                latents(heun.apply(onnx), "block:2:interval=2"), LATENTS);
    }

    @Test
    void aScheduleThatNeverReusesIsThePlainBuiltGraph() {
        float[] plain = latents(onnx, null);
        for (String spec : List.of("block:2:interval=1", "layer:deep:interval=1", "unit:attn1,attn2,ff:interval=1")) {
            assertArrayEquals(plain, latents(onnx, spec), spec);
        }
    }

    @Test
    void concurrentGenerationsOnOneModelEqualSequentialOnes() throws Exception {
        List<String> specs = Arrays.asList("deepcache", "layer-deep", "unit-attn1", null, "deepcache-shallow",
                "deepcache");
        Map<Integer, float[]> sequential = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            sequential.put(i, latents(onnx, specs.get(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(specs.size());
        try {
            List<Future<float[]>> runs = new ArrayList<>();
            for (String name : specs) {
                runs.add(pool.submit(() -> latents(onnx, name)));
            }
            for (int i = 0; i < specs.size(); i++) {
                assertArrayEquals(sequential.get(i), runs.get(i).get(), "generation " + i + ": " + specs.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDepthBeyondTheSkipConnectionsIsTheSameErrorOnBothBackends() {
        String djlMessage = assertThrows(InvalidRequestException.class, () -> latents(djl, "block:13:interval=2"))
                .getMessage();
        String onnxMessage = assertThrows(InvalidRequestException.class, () -> latents(onnx, "block:13:interval=2"))
                .getMessage();
        assertEquals(djlMessage, onnxMessage);
        String selector = assertThrows(InvalidRequestException.class,
                () -> latents(onnx, "layer:down_blocks.7:interval=2")).getMessage();
        assertEquals(assertThrows(InvalidRequestException.class, () -> latents(djl, "layer:down_blocks.7:interval=2"))
                .getMessage(), selector);
    }
}
