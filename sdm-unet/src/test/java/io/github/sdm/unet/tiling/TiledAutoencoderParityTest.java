package io.github.sdm.unet.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.VaeTiling;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.spi.AutoencoderNetwork;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.RequestSize;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.core.testkit.Close;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.Fixtures;
import io.github.sdm.unet.config.VaeTileSize;
import io.github.sdm.unet.djl.DjlBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tiling against diffusers 0.27.2's {@code AutoencoderKL.enable_tiling()} on the {@code vae/} fixture's weights
 * ({@code fixtures/vae-tiling}): latents of 16x24 decode and an image of 128x192 encodes in tiles of 8 latents /
 * 64 pixels overlapping by a quarter, rows and columns cut short at the edges.
 */
class TiledAutoencoderParityTest {
    private static final Path VAE = TestData.fixture("vae");
    private static SafetensorsFile reference;
    private static DiffusionNetworks tiledAlways;
    private static DiffusionNetworks tiledAuto;
    private static DiffusionNetworks plain;

    @BeforeAll
    static void load() {
        reference = SafetensorsFile.open(TestData.fixture("vae-tiling/reference.safetensors"));
        tiledAlways = load(VaeTiling.ON);
        tiledAuto = load(VaeTiling.AUTO);
        plain = load(VaeTiling.OFF);
    }

    private static DiffusionNetworks load(VaeTiling tiling) {
        return new DjlBackend().load(ModelLocation.folder(TestData.tinySd()).withComponent("vae", VAE),
                LoadOptions.defaults().withVaeTiling(tiling));
    }

    @AfterAll
    static void release() {
        for (AutoCloseable c : new AutoCloseable[] {tiledAlways, tiledAuto, plain, reference}) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static FloatTensor tensor(String name) {
        return new FloatTensor(reference.floats(name), reference.info(name).intShape());
    }

    private static void assertClose(String what, FloatTensor expected, FloatTensor actual) {
        Close.assertClose(what, longs(expected.shape()), expected.data(), longs(actual.shape()), actual.data(),
                Fixtures.NETWORK);
    }

    private static long[] longs(int[] shape) {
        return Arrays.stream(shape).asLongStream().toArray();
    }

    @Test
    void theTileSizesAreTheFixtures() throws IOException {
        JsonObject settings = JsonParser.parseString(Files.readString(TestData.fixture("vae-tiling/reference.json")))
                .getAsJsonObject();
        VaeTileSize tiles = VaeTileSize.read(VAE.resolve("config.json"));
        assertEquals(settings.get("tile_sample_min_size").getAsInt(), tiles.sampleTile());
        assertEquals(settings.get("tile_latent_min_size").getAsInt(), tiles.latentTile());
        assertEquals(settings.get("tile_overlap_factor").getAsDouble(), tiles.overlapFactor());
    }

    @Test
    void decodesLikeDiffusersTiled() {
        FloatTensor z = tensor("z");
        assertClose("decoded_tiled", tensor("decoded_tiled"), tiledAlways.vae().decode(z));
        // 16x24 latents are 6 tiles of 8x8: above AUTO's four tiles' area
        assertClose("decoded_tiled (auto)", tensor("decoded_tiled"), tiledAuto.vae().decode(z));
        assertClose("decoded_plain", tensor("decoded_plain"), plain.vae().decode(z));
    }

    @Test
    void encodesLikeDiffusersTiled() {
        FloatTensor image = tensor("image");
        assertClose("latent_mean_tiled", tensor("latent_mean_tiled"), tiledAlways.vae().encodeLatents(image));
        assertClose("latent_mean_tiled (distribution)", tensor("latent_mean_tiled"),
                tiledAlways.vae().encodeDistribution(image).orElseThrow().mean());
        assertClose("latent_mean_tiled (auto)", tensor("latent_mean_tiled"), tiledAuto.vae().encodeLatents(image));
        assertClose("latent_mean_plain", tensor("latent_mean_plain"), plain.vae().encodeLatents(image));
    }

    @Test
    void sizesWithinTheRuleRunWholeBitForBit() {
        FloatTensor z = tensor("z");
        // AUTO: 16x16 latents are exactly four tiles' area, so they are not tiled; ON: 8x8 fits one tile
        FloatTensor square = TiledPass.crop(z, 0, 0, 16, 16);
        assertArrayEquals(plain.vae().decode(square).data(), tiledAuto.vae().decode(square).data());
        FloatTensor one = TiledPass.crop(z, 0, 0, 8, 8);
        assertArrayEquals(plain.vae().decode(one).data(), tiledAlways.vae().decode(one).data());
        assertFalse(Arrays.equals(plain.vae().decode(square).data(), tiledAlways.vae().decode(square).data()));
    }

    @Test
    void theMemoryEstimateOfATiledDecodeIsThatOfOneTile() {
        AutoencoderNetwork vae = tiledAuto.vae();
        assertTrue(vae instanceof TiledAutoencoder);
        // 1024x1024 on the tiny model: a plain decode's 32 channels at full size (512 MiB) dwarf its UNet call,
        // a tiled one holds a 64x64 tile and the UNet dominates
        RequestSize big = new RequestSize(1, false, 4, 128, 128, 8);
        assertTrue(plain.activationBytes(big) > 10 * tiledAuto.activationBytes(big),
                plain.activationBytes(big) + " vs " + tiledAuto.activationBytes(big));
        // at the normal size the two agree
        RequestSize normal = new RequestSize(1, false, 4, 8, 8, 8);
        assertEquals(plain.activationBytes(normal), tiledAuto.activationBytes(normal));
    }
}
