package io.github.sdm.unet.onnx;

import static io.github.sdm.core.testkit.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.spi.AutoencoderNetwork;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.testkit.Tolerance;
import org.junit.jupiter.api.Test;

/**
 * A TAESD ({@code fixtures/taesd}) as the tiny model's VAE on the built graphs ({@code TinyAutoencoderGraphs}):
 * diffusers' {@code encode(image).latents} and {@code decode(z).sample} within 1e-4 of their peak (the network
 * tolerance of the other built graphs), its own scaling factor and no distribution; and a generation through it gives
 * the djl backend's final latents within the pipeline tolerance (1e-3) and its image within 5e-3: the random tiny
 * TAESD decoder amplifies the two UNets' rounding differences in the latents (image measured 3.0e-3 apart).
 */
class OnnxBuiltTaesdTest {
    private static final Tolerance NETWORK = Tolerance.ofPeak(1e-4);
    private static final ModelLocation WITH_TAESD = ModelLocation.folder(TestData.tinySd())
            .withComponent("vae", TestData.fixture("taesd"));

    @Test
    void encodesAndDecodesAsDiffusersTaesd() {
        try (DiffusionNetworks networks = new OnnxBackend().load(WITH_TAESD, LoadOptions.defaults());
                SafetensorsFile reference = SafetensorsFile.open(TestData.fixture("taesd/reference.safetensors"))) {
            AutoencoderNetwork vae = networks.vae();
            assertEquals(1.0f, vae.scalingFactor());
            assertEquals(8, vae.downscaleFactor());
            FloatTensor image = tensor(reference, "image");
            assertTrue(vae.encodeDistribution(image).isEmpty(), "TAESD has no distribution");
            assertClose("latents", tensor(reference, "latents"), vae.encodeLatents(image), NETWORK);
            assertClose("decoded", tensor(reference, "decoded"), vae.decode(tensor(reference, "z")), NETWORK);
        }
    }

    @Test
    void aGenerationThroughTheTaesdGivesWhatDjlGives() {
        try (StableDiffusion djl = StableDiffusion.load(WITH_TAESD, LoadOptions.defaults().withBackend("djl"));
                StableDiffusion onnx = StableDiffusion.load(WITH_TAESD, LoadOptions.defaults().withBackend("onnx"))) {
            GenerationResult expected = djl.txt2img("a red apple").steps(3).sampler("ddim").seed(3).generate();
            GenerationResult actual = onnx.txt2img("a red apple").steps(3).sampler("ddim").seed(3).generate();
            assertClose("final latents", expected.finalLatents(), actual.finalLatents(), Tolerance.absolute(1e-3));
            assertClose("image", expected.decoded(), actual.decoded(), Tolerance.absolute(5e-3));
            assertArrayEquals(expected.decoded().shape(), actual.decoded().shape());
        }
    }

    private static FloatTensor tensor(SafetensorsFile file, String name) {
        return new FloatTensor(file.floats(name), file.info(name).intShape());
    }
}
