package io.github.sdm.unet.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.Generation;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.GenerationCancelledException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.SessionExtension;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.samplers.Samplers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The public API's features on the onnx backend, beyond the reference cases: every sampler, batches, progress,
 * cancellation, concurrent generations on one loaded model, and what the backend refuses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxGenerationTest {
    private StableDiffusion sd;

    @BeforeAll
    void load() {
        sd = StableDiffusion.load(ModelLocation.folder(OnnxExports.optimum()), LoadOptions.defaults().withThreads(1));
    }

    @AfterAll
    void close() {
        sd.close();
    }

    @Test
    void everySamplerRunsAndGivesAFiniteImage() {
        for (String sampler : Samplers.names()) {
            GenerationResult result = sd.txt2img("a lighthouse").negativePrompt("fog").size(64, 64).steps(3)
                    .sampler(sampler).seed(5).generate();
            assertFalse(result.decoded().hasNonFinite(), sampler);
            assertEquals(1, result.images().size(), sampler);
        }
    }

    @Test
    void aBatchGivesEachImageWhatItGivesAlone() {
        GenerationResult batch = sd.txt2img("a kite").size(64, 64).steps(3).sampler("ddim").seed(9).batchSize(2)
                .generate();
        assertEquals(2, batch.images().size());
        assertEquals(2, batch.finalLatents().dim(0));
        FloatTensor first = batch.finalLatents().slice(0, 1);
        FloatTensor second = batch.finalLatents().slice(1, 2);
        assertFalse(java.util.Arrays.equals(first.data(), second.data()), "each image has its own noise");
    }

    @Test
    void guidanceChangesTheResultAndOneTurnsItOff() {
        float[] guided = sd.txt2img("a kite").size(64, 64).steps(3).sampler("ddim").seed(9).guidance(7.5).generate()
                .finalLatents().data();
        float[] unguided = sd.txt2img("a kite").size(64, 64).steps(3).sampler("ddim").seed(9).guidance(1.0).generate()
                .finalLatents().data();
        assertFalse(java.util.Arrays.equals(guided, unguided));
    }

    @Test
    void progressIsReportedAfterEveryStep() {
        List<Integer> steps = new ArrayList<>();
        sd.txt2img("a kite").size(64, 64).steps(4).sampler("euler").seed(2).listener(p -> steps.add(p.step())).generate();
        assertEquals(List.of(1, 2, 3, 4), steps);
    }

    @Test
    void aListenerCancelsTheGeneration() {
        List<Integer> steps = new ArrayList<>();
        Generation generation = sd.txt2img("a kite").size(64, 64).steps(6).sampler("euler").seed(2).listener(p -> {
            steps.add(p.step());
            if (p.step() == 2) {
                p.generation().cancel();
            }
        }).build();
        assertThrows(GenerationCancelledException.class, generation::run);
        assertEquals(List.of(1, 2), steps);
    }

    @Test
    void concurrentGenerationsOnOneModelEqualSequentialOnes() throws Exception {
        List<String> prompts = List.of("a boat", "a tree", "a boat");
        List<float[]> alone = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            alone.add(generate(prompts.get(i), i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(prompts.size());
        try {
            List<Future<float[]>> runs = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                int seed = i;
                runs.add(pool.submit(() -> generate(prompts.get(seed), seed)));
            }
            for (int i = 0; i < runs.size(); i++) {
                assertArrayEquals(alone.get(i), runs.get(i).get(), prompts.get(i) + " seed " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private float[] generate(String prompt, long seed) {
        return sd.txt2img(prompt).size(64, 64).steps(4).sampler("dpmpp_2m").seed(seed).generate().decoded().data();
    }

    @Test
    void featureInheritanceIsRefusedNamingTheReason() {
        SdmException e = assertThrows(SdmException.class, () -> sd.txt2img("x").size(64, 64).steps(2).seed(1)
                .with(new PartReuse("deepcache:interval=3")).generate());
        assertTrue(e.getMessage().contains("'deepcache:interval=3'") && e.getMessage().contains("named parts")
                && e.getMessage().contains("ONNX graph"), e.getMessage());
    }

    @Test
    void clipSkipBeyondOneIsRefusedNamingTheReason() {
        SdmException e = assertThrows(SdmException.class,
                () -> sd.txt2img("x").size(64, 64).steps(2).seed(1).clipSkip(2).generate());
        assertTrue(e.getMessage().contains("clip skip 2") && e.getMessage().contains("final layer norm"),
                e.getMessage());
    }

    @Test
    void theDiffusersScriptEncoderDrawsInsideTheGraph() {
        try (DiffusionNetworks networks = new OnnxBackend().load(ModelLocation.folder(OnnxExports.diffusersScript()),
                LoadOptions.defaults())) {
            FloatTensor image = FloatTensor.zeros(1, 3, 64, 64);
            FloatTensor first = networks.vae().encodeLatents(image);
            FloatTensor second = networks.vae().encodeLatents(image);
            assertArrayEquals(new int[] {1, 4, 8, 8}, first.shape());
            assertFalse(java.util.Arrays.equals(first.data(), second.data()),
                    "latent_sample is a draw made by the graph: two encodings of one image differ");
            assertTrue(networks.vae().encodeDistribution(image).isEmpty(), "a draw has no distribution to give");
        }
    }

    @Test
    void theOptimumEncoderIsDeterministic() {
        try (DiffusionNetworks networks = new OnnxBackend().load(ModelLocation.folder(OnnxExports.optimum()),
                LoadOptions.defaults())) {
            FloatTensor image = FloatTensor.zeros(1, 3, 64, 64);
            assertArrayEquals(networks.vae().encodeLatents(image).data(), networks.vae().encodeLatents(image).data());
            assertArrayEquals(networks.vae().encodeLatents(image).data(),
                    networks.vae().encodeDistribution(image).orElseThrow().mean().data());
        }
    }

    /** A per-generation feature that works on the UNet's named parts, as feature inheritance does. */
    private record PartReuse(String spec) implements SessionExtension {
        @Override
        public String describe() {
            return spec;
        }
    }
}
