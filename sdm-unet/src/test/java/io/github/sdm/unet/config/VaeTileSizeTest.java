package io.github.sdm.unet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.ConfigFile;
import io.github.sdm.core.testkit.TestData;
import org.junit.jupiter.api.Test;

/** The tile sizes diffusers' {@code AutoencoderKL.__init__} derives from a config. */
class VaeTileSizeTest {

    private static VaeTileSize parse(String json) {
        return VaeTileSize.from(ConfigFile.parse(json, "vae.json"));
    }

    @Test
    void theSampleSizeIsTheTileAndTheLatentTileItsDownscaledSide() {
        assertEquals(new VaeTileSize(64, 8, 0.25), VaeTileSize.read(TestData.tinySd().resolve("vae/config.json")));
        assertEquals(new VaeTileSize(512, 64, 0.25), parse("{\"block_out_channels\": [128, 256, 512, 512], "
                + "\"down_block_types\": [\"DownEncoderBlock2D\", \"DownEncoderBlock2D\", \"DownEncoderBlock2D\", "
                + "\"DownEncoderBlock2D\"], \"up_block_types\": [\"UpDecoderBlock2D\", \"UpDecoderBlock2D\", "
                + "\"UpDecoderBlock2D\", \"UpDecoderBlock2D\"], \"sample_size\": 512}"));
    }

    @Test
    void aListTakesItsFirstSideAndAbsenceDiffusersDefault() {
        // one level: no downscale; diffusers' default sample_size is 32
        assertEquals(new VaeTileSize(96, 96, 0.25), parse("{\"sample_size\": [96, 64]}"));
        assertEquals(new VaeTileSize(32, 32, 0.25), parse("{}"));
    }

    @Test
    void anEmptyListIsRefusedNamingTheKey() {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> parse("{\"sample_size\": []}"));
        assertTrue(e.getMessage().startsWith("vae.json: 'sample_size' = []"), e.getMessage());
    }
}
