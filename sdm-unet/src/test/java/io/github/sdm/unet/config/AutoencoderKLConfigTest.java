package io.github.sdm.unet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AutoencoderKLConfigTest {

    @Test
    void readsTheTinyFixtureConfig() {
        AutoencoderKLConfig c = AutoencoderKLConfig.read(TestData.fixture("vae/config.json"));
        assertEquals(new AutoencoderKLConfig(3, 3, List.of(16, 32, 32, 32), 1, 4, 8, 0.18215, true, 0.0, true), c);
        assertEquals(8, c.downscaleFactor());
    }

    @Test
    void takesDiffusersDefaultsForOmittedFields() {
        AutoencoderKLConfig c = AutoencoderKLConfig.parse("{\"_class_name\": \"AutoencoderKL\"}", "vae.json");
        assertEquals(new AutoencoderKLConfig(3, 3, List.of(64), 1, 4, 32, 0.18215, true, 0.0, true), c);
    }

    @Test
    void readsShiftFactorAndForceUpcastWithNullAsAbsent() {
        AutoencoderKLConfig c = AutoencoderKLConfig.parse(
                "{\"shift_factor\": 0.1159, \"force_upcast\": false}", "vae.json");
        assertEquals(0.1159, c.shiftFactor());
        assertEquals(false, c.forceUpcast());
        AutoencoderKLConfig none = AutoencoderKLConfig.parse("{\"shift_factor\": null}", "vae.json");
        assertEquals(0.0, none.shiftFactor());
        assertEquals(true, none.forceUpcast());
    }

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                arguments("{\"_class_name\": \"AutoencoderTiny\"}",
                        "'_class_name' = \"AutoencoderTiny\": expected AutoencoderKL"),
                arguments("{\"act_fn\": \"relu\"}", "'act_fn' = \"relu\": only silu"),
                arguments("{\"block_out_channels\": [64, 128]}",
                        "'down_block_types' (absent): expected one entry per block_out_channels entry (2)"),
                arguments("{\"block_out_channels\": [64], \"down_block_types\": [\"DownBlock2D\"]}",
                        "'down_block_types' = [\"DownBlock2D\"]: only DownEncoderBlock2D"),
                arguments("{\"block_out_channels\": [48], \"norm_num_groups\": 32}",
                        "multiples of norm_num_groups 32"),
                arguments("{\"layers_per_block\": 1.5}", "'layers_per_block' = 1.5: expected an integer"),
                arguments("{\"use_post_quant_conv\": false}",
                        "'use_post_quant_conv' = false: a VAE without quant convs"),
                arguments("{\"block_out_channels\": null, \"down_block_types\": [\"DownEncoderBlock2D\", 3]}",
                        "'down_block_types[1]' = 3: expected a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void rejectsUnsupportedOrInvalidConfigsNamingSourceAndField(String json, String fragment) {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> AutoencoderKLConfig.parse(json, "vae.json"));
        assertTrue(e.getMessage().startsWith("vae.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
