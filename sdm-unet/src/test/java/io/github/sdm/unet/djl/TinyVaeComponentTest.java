package io.github.sdm.unet.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.VaeTiling;
import io.github.sdm.core.spi.AutoencoderNetwork;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.core.testkit.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TAESD ({@code fixtures/taesd}, latent channels 4 and 8x downscale like the tiny model's VAE) as the tiny
 * model's VAE, through {@link ModelLocation#withComponent}: the backend builds it from its config's
 * {@code _class_name}, with its own scaling factor and no distribution.
 */
class TinyVaeComponentTest {
    private static final Path MODEL = TestData.tinySd();
    private static final Path TAESD = TestData.fixture("taesd");

    @Test
    void theTaesdServesAsTheModelsVaeWithItsOwnLatentScale() {
        try (DiffusionNetworks networks = new DjlBackend().load(ModelLocation.folder(MODEL).withComponent("vae", TAESD),
                LoadOptions.defaults())) {
            AutoencoderNetwork vae = networks.vae();
            assertEquals(4, vae.latentChannels());
            assertEquals(8, vae.downscaleFactor());
            assertEquals(1.0f, vae.scalingFactor());
            assertEquals(0f, vae.shiftFactor());
            FloatTensor image = new FloatTensor(new float[2 * 3 * 16 * 24], new int[] {2, 3, 16, 24});
            assertTrue(vae.encodeDistribution(image).isEmpty());
            assertArrayEquals(new int[] {2, 4, 2, 3}, vae.encodeLatents(image).shape());
            assertArrayEquals(new int[] {2, 3, 16, 24}, vae.decode(vae.encodeLatents(image)).shape());
        }
    }

    @Test
    void aGenerationWithTheTaesdGivesFiniteImagesFromTheSameLatents() {
        GenerationResult plain;
        try (StableDiffusion sd = StableDiffusion.load(MODEL)) {
            plain = generate(sd);
        }
        try (StableDiffusion sd = StableDiffusion.load(ModelLocation.folder(MODEL).withComponent("vae", TAESD),
                LoadOptions.defaults())) {
            GenerationResult tiny = generate(sd);
            // the UNet and sampler are untouched: the same final latents, decoded by another VAE
            assertArrayEquals(plain.finalLatents().data(), tiny.finalLatents().data());
            assertFalse(tiny.decoded().hasNonFinite());
            assertEquals(64, tiny.images().get(0).getWidth());
            assertFalse(java.util.Arrays.equals(plain.decoded().data(), tiny.decoded().data()));
            GenerationResult again = sd.img2img(tiny.images().get(0), "a red apple").strength(0.5).steps(4)
                    .sampler("ddim").seed(5).generate();
            assertFalse(again.decoded().hasNonFinite());
        }
    }

    @Test
    void aTaesdConfigBesideASingleFileCheckpointIsRefused(@TempDir Path configs) throws IOException {
        for (String name : new String[] {"model_index.json", "text_encoder/config.json", "unet/config.json"}) {
            Files.createDirectories(configs.resolve(name).getParent());
            Files.copy(MODEL.resolve(name), configs.resolve(name));
        }
        Files.createDirectories(configs.resolve("vae"));
        Files.copy(TAESD.resolve("config.json"), configs.resolve("vae/config.json"));
        Path checkpoint = TestData.fixture("ldm-single-file/tiny-sd15.safetensors");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> new DjlBackend().load(
                ModelLocation.singleFile(checkpoint, configs), LoadOptions.defaults()).close());
        assertTrue(e.getMessage().startsWith(configs.resolve("vae/config.json") + ": '_class_name' = "
                + "\"AutoencoderTiny\": the single-file checkpoint "), e.getMessage());
    }

    @Test
    void tilingATaesdIsRefusedNamingTheOption() {
        SdmException e = assertThrows(SdmException.class, () -> new DjlBackend().load(
                ModelLocation.folder(MODEL).withComponent("vae", TAESD), LoadOptions.defaults().withVaeTiling(VaeTiling.ON))
                .close());
        assertTrue(e.getMessage().startsWith("LoadOptions.vaeTiling ON: the VAE " + TAESD + " is an AutoencoderTiny"),
                e.getMessage());
        // AUTO leaves a TAESD whole
        new DjlBackend().load(ModelLocation.folder(MODEL).withComponent("vae", TAESD), LoadOptions.defaults()).close();
    }

    private static GenerationResult generate(StableDiffusion sd) {
        return sd.txt2img("a red apple").steps(3).sampler("ddim").seed(3).generate();
    }
}
