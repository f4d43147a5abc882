package io.github.sdm.unet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.testkit.TestData;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AutoencoderTinyConfigTest {

    @Test
    void readsTheFixturesConfig() {
        AutoencoderTinyConfig c = AutoencoderTinyConfig.read(TestData.fixture("taesd/config.json"));
        List<Integer> channels = List.of(16, 16, 16, 16);
        assertEquals(new AutoencoderTinyConfig(3, 3, channels, channels, List.of(1, 2, 1, 1), List.of(1, 1, 2, 1),
                4, 2, 3, 0.5, 1.0, false), c);
        assertEquals(8, c.downscaleFactor());
    }

    @Test
    void absentFieldsTakeDiffusersDefaultsWhichAreTheRealTaesd() {
        AutoencoderTinyConfig c = AutoencoderTinyConfig.parse("{\"_class_name\": \"AutoencoderTiny\"}", "vae.json");
        assertEquals(AutoencoderTinyConfig.taesd(), c);
        assertEquals(8, c.downscaleFactor());
    }

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                arguments("{\"_class_name\": \"AutoencoderKL\"}",
                        "'_class_name' = \"AutoencoderKL\": expected AutoencoderTiny"),
                arguments("{\"act_fn\": \"silu\"}", "'act_fn' = \"silu\": only relu"),
                arguments("{\"upsample_fn\": \"bilinear\"}", "'upsample_fn' = \"bilinear\": only nearest"),
                arguments("{\"encoder_block_out_channels\": [64, 32, 64, 64]}",
                        "encoder_block_out_channels [64, 32, 64, 64] must be equal positive values"),
                arguments("{\"num_decoder_blocks\": [3, 3, 1]}",
                        "decoder_block_out_channels [64, 64, 64, 64] and num_decoder_blocks [3, 3, 1] must name"),
                arguments("{\"upsampling_scaling_factor\": 3}",
                        "the encoder downscales by 8 (2^(levels-1) of num_encoder_blocks [1, 3, 3, 3]) but the "
                                + "decoder upscales by 27"),
                arguments("{\"latent_channels\": 2.5}", "'latent_channels' = 2.5: expected an integer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void rejectsUnsupportedOrInvalidConfigsNamingSourceAndField(String json, String fragment) {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> AutoencoderTinyConfig.parse(json, "vae.json"));
        assertTrue(e.getMessage().startsWith("vae.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
