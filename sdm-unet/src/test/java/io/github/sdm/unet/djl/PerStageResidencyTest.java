package io.github.sdm.unet.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Residency;
import io.github.sdm.core.spi.NetworkRole;
import io.github.sdm.core.spi.TextConditioning;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.core.testkit.ConcurrentGenerations;
import io.github.sdm.core.testkit.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stage residency on the DJL backend: a released network reads its weights again bit for bit, and generations
 * running at once on a per-stage model compute exactly what resident generations compute one at a time.
 */
class PerStageResidencyTest {
    private static final Path MODEL = TestData.tinySd();
    private static final Path LORA = TestData.fixture("tiny-lora/kohya.safetensors");
    private static final LoadOptions PER_STAGE = LoadOptions.defaults().withResidency(Residency.PER_STAGE);
    private static final int GENERATIONS = 6;

    @Test
    void aReleasedNetworkRefusesCallsAndComputesTheSameBitsOnceLoadedAgain() {
        try (DjlNetworks networks = (DjlNetworks) new DjlBackend().load(ModelLocation.folder(MODEL),
                LoadOptions.defaults())) {
            long[][] ids = {{49406, 320, 2368, 49407}};
            TextConditioning before = networks.textEncoder().encode(ids);
            FloatTensor latents = FloatTensor.zeros(1, networks.vae().latentChannels(), 4, 4);
            float[] decodedBefore = networks.vae().decode(latents).data();
            int layers = networks.textEncoder().numHiddenLayers();

            for (NetworkRole role : NetworkRole.values()) {
                networks.release(role);
                assertFalse(networks.network(role).isLoaded(), role.toString());
            }
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> networks.textEncoder().encode(ids));
            assertTrue(e.getMessage().contains("text encoder was released"), e.getMessage());
            // sizes answer from the configs while released
            assertEquals(layers, networks.textEncoder().numHiddenLayers());

            for (NetworkRole role : NetworkRole.values()) {
                networks.load(role);
                networks.load(role); // loaded already: no second read
                assertEquals(1, networks.network(role).loads(), role.toString());
                assertEquals(1, networks.network(role).releases(), role.toString());
            }
            assertArrayEquals(before.hiddenStates().data(), networks.textEncoder().encode(ids).hiddenStates().data());
            assertArrayEquals(decodedBefore, networks.vae().decode(latents).data());
        }
    }

    @Test
    void concurrentPerStageGenerationsEqualSequentialResidentOnes() throws Exception {
        assertConcurrentGenerationsEqualSequentialResidentOnes(PER_STAGE);
    }

    /** Weight paging only drops pages that the next read finds again: the same bits, also under concurrency. */
    @Test
    void concurrentPagedGenerationsEqualSequentialResidentOnes() throws Exception {
        assertConcurrentGenerationsEqualSequentialResidentOnes(PER_STAGE.withWeightPaging(true));
        assertConcurrentGenerationsEqualSequentialResidentOnes(LoadOptions.defaults().withWeightPaging(true));
    }

    private static void assertConcurrentGenerationsEqualSequentialResidentOnes(LoadOptions options) throws Exception {
        List<GenerationResult> expected = new ArrayList<>();
        try (StableDiffusion sd = StableDiffusion.load(MODEL)) {
            for (int i = 0; i < GENERATIONS; i++) {
                expected.add(generate(sd, i));
            }
        }
        try (StableDiffusion sd = StableDiffusion.load(MODEL, options)) {
            ConcurrentGenerations.assertEqualSequential(sd, expected, (model, i) -> generate(model, i));
        }
    }

    @Test
    void aSingleFileCheckpointIsReadAgainPerStage() {
        Path checkpoint = TestData.fixture("ldm-single-file/tiny-sd15.safetensors");
        ModelLocation location = ModelLocation.singleFile(checkpoint, MODEL);
        float[] resident;
        try (StableDiffusion sd = StableDiffusion.load(location, LoadOptions.defaults())) {
            resident = generate(sd, 1).decoded().data();
        }
        try (StableDiffusion sd = StableDiffusion.load(location, PER_STAGE)) {
            assertArrayEquals(resident, generate(sd, 1).decoded().data());
            assertArrayEquals(resident, generate(sd, 1).decoded().data());
        }
    }

    @Test
    void loraMergedIntoTheWeightsIsRefusedPerStage() {
        SdmException atLoad = assertThrows(SdmException.class,
                () -> StableDiffusion.load(MODEL, PER_STAGE.withLora(LORA, 1.0)));
        assertTrue(atLoad.getMessage().contains("PER_STAGE") && atLoad.getMessage().contains("LoRA"),
                atLoad.getMessage());
        try (StableDiffusion sd = StableDiffusion.load(MODEL, PER_STAGE)) {
            SdmException applied = assertThrows(SdmException.class, () -> sd.applyLora(LORA, 1.0));
            assertTrue(applied.getMessage().contains("PER_STAGE"), applied.getMessage());
        }
    }

    /**
     * Txt2img with guidance, img2img (the VAE encodes and decodes) and txt2img with a per-generation LoRA (on both
     * the text encoder and the UNet), in turn.
     */
    private static GenerationResult generate(StableDiffusion sd, int index) {
        GenerationBuilder builder = switch (index % 3) {
            case 0 -> sd.txt2img("a lighthouse");
            case 1 -> sd.img2img(FloatTensor.zeros(1, 3, 64, 64), "a boat").strength(0.7);
            default -> sd.txt2img("a castle").lora(LORA, 0.8);
        };
        return builder.steps(2).sampler("ddim").seed(index).generate();
    }
}
