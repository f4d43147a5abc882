package io.github.sdm.unet.ldm;

import static io.github.sdm.unet.Fixtures.assertClose;
import static io.github.sdm.unet.Fixtures.floats;
import static io.github.sdm.unet.Fixtures.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.Fixtures;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import io.github.sdm.unet.djl.vae.LatentDistribution;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The VAE and text encoder loaded from the single-file checkpoint (with {@code models/tiny-sd}'s configs)
 * compute exactly what the same networks loaded from the diffusers folder compute, and match the references.
 */
class LdmCheckpointParityTest {
    private static final Path SINGLE_FILE = TestData.fixture("ldm-single-file/tiny-sd15.safetensors");

    @Test
    void vaeFromSingleFileEqualsVaeFromFolder() {
        Path folder = TestData.tinySd().resolve("vae");
        try (NDManager manager = NDManager.newBaseManager();
                LdmCheckpoint checkpoint = LdmCheckpoint.open(SINGLE_FILE);
                SafetensorsFile reference = SafetensorsFile.open(TestData.fixture("vae/reference.safetensors"));
                AutoencoderKL fromFolder = AutoencoderKL.load(folder, manager)) {
            AutoencoderKLConfig config = AutoencoderKLConfig.read(folder.resolve("config.json"));
            try (AutoencoderKL fromFile = AutoencoderKL.load(config, checkpoint.vae(config), manager)) {
                NDArray image = floats(reference, "image", manager).mul(2).sub(1);
                LatentDistribution expected = fromFolder.encode(image);
                LatentDistribution actual = fromFile.encode(image);
                assertArrayEquals(expected.mean().toFloatArray(), actual.mean().toFloatArray(), "latent mean");
                assertArrayEquals(expected.logvar().toFloatArray(), actual.logvar().toFloatArray(), "latent logvar");
                NDArray z = floats(reference, "z", manager);
                NDArray decoded = fromFile.decode(z);
                assertArrayEquals(fromFolder.decode(z).toFloatArray(), decoded.toFloatArray(), "decoded");
                assertClose(floats(reference, "latent_mean", manager), actual.mean(), "latent_mean");
                assertClose(floats(reference, "decoded", manager), decoded, "decoded");
            }
        }
    }

    @Test
    void textEncoderFromSingleFileEqualsTextEncoderFromFolder() {
        Path folder = TestData.tinySd().resolve("text_encoder");
        try (NDManager manager = NDManager.newBaseManager();
                LdmCheckpoint checkpoint = LdmCheckpoint.open(SINGLE_FILE);
                SafetensorsFile reference = SafetensorsFile.open(
                        TestData.fixture("text_encoder/reference.safetensors"));
                CLIPTextModel fromFolder = CLIPTextModel.load(folder, manager)) {
            CLIPTextConfig config = CLIPTextConfig.read(folder.resolve("config.json"));
            try (CLIPTextModel fromFile = CLIPTextModel.load(config, checkpoint.textEncoder(config), manager)) {
                NDArray ids = longs(reference, "input_ids", manager);
                NDArray hidden = fromFile.encode(ids);
                assertArrayEquals(fromFolder.encode(ids).toFloatArray(), hidden.toFloatArray(), "last_hidden_state");
                assertClose(floats(reference, "last_hidden_state", manager), hidden, "last_hidden_state");
            }
        }
    }
}
