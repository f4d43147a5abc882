package io.github.sdm.unet.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.model.Residency;
import io.github.sdm.core.spi.NetworkRole;
import io.github.sdm.core.spi.TextConditioning;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.core.testkit.ConcurrentGenerations;
import io.github.sdm.core.testkit.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stage residency on the onnx backend: a released network's sessions are closed and open again with the same bits
 * (the built graphs built anew, an export's files read again), and generations running at once on a per-stage model
 * (the core's reference-counted {@code StageResidency}) compute exactly what resident generations compute one at a
 * time.
 */
class OnnxPerStageResidencyTest {
    private static final Path MODEL = TestData.tinySd();
    private static final LoadOptions ONNX = LoadOptions.defaults().withBackend("onnx");
    private static final int GENERATIONS = 4;

    @Test
    void builtGraphsReleasedRefuseCallsAndComputeTheSameBitsOnceLoadedAgain() {
        assertReleasedAndLoadedAgain(ModelLocation.folder(MODEL), ONNX.withWeightPrecision(Precision.FP16));
    }

    @Test
    void anExportReleasedRefusesCallsAndComputesTheSameBitsOnceLoadedAgain() {
        assertReleasedAndLoadedAgain(ModelLocation.folder(OnnxExports.optimum()), ONNX);
    }

    private static void assertReleasedAndLoadedAgain(ModelLocation location, LoadOptions options) {
        try (OnnxNetworks networks = (OnnxNetworks) new OnnxBackend().load(location, options)) {
            long[][] ids = new long[1][77]; // an export's text encoder takes CLIP's 77 positions
            Arrays.fill(ids[0], 49407);
            ids[0][0] = 49406;
            ids[0][1] = 2368;
            TextConditioning before = networks.textEncoder().encode(ids, 1);
            FloatTensor latents = FloatTensor.zeros(1, networks.vae().latentChannels(), 4, 4);
            float[] decodedBefore = networks.vae().decode(latents).data();
            int layers = networks.textEncoder().numHiddenLayers();

            for (NetworkRole role : NetworkRole.values()) {
                networks.release(role);
                networks.graphs(role).forEach(g -> assertFalse(g.isLoaded(), role.toString()));
            }
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> networks.textEncoder().encode(ids, 1));
            assertTrue(e.getMessage().contains("was released"), e.getMessage());
            assertEquals(layers, networks.textEncoder().numHiddenLayers(), "sizes answer while released");

            for (NetworkRole role : NetworkRole.values()) {
                networks.load(role);
                networks.load(role); // loaded already: no second opening
                for (OnnxGraph graph : networks.graphs(role)) {
                    assertEquals(1, graph.loads(), role.toString());
                    assertEquals(1, graph.releases(), role.toString());
                }
            }
            assertArrayEquals(before.hiddenStates().data(), networks.textEncoder().encode(ids, 1).hiddenStates().data());
            assertArrayEquals(decodedBefore, networks.vae().decode(latents).data());
        }
    }

    @Test
    void concurrentPerStageGenerationsEqualSequentialResidentOnes() throws Exception {
        LoadOptions options = ONNX.withWeightPrecision(Precision.INT8);
        List<GenerationResult> expected = new ArrayList<>();
        try (StableDiffusion sd = StableDiffusion.load(MODEL, options)) {
            for (int i = 0; i < GENERATIONS; i++) {
                expected.add(generate(sd, i));
            }
        }
        try (StableDiffusion sd = StableDiffusion.load(MODEL, options.withResidency(Residency.PER_STAGE))) {
            ConcurrentGenerations.assertEqualSequential(sd, expected, (model, i) -> generate(model, i));
        }
    }

    /** Txt2img with guidance and img2img (the VAE encodes and decodes), in turn. */
    private static GenerationResult generate(StableDiffusion sd, int index) {
        GenerationBuilder builder = index % 2 == 0 ? sd.txt2img("a lighthouse")
                : sd.img2img(FloatTensor.zeros(1, 3, 64, 64), "a boat").strength(0.7);
        return builder.steps(2).sampler("ddim").seed(index).generate();
    }
}
