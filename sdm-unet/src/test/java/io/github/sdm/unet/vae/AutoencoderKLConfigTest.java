package io.github.sdm.unet.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.ModelFormatException;
import io.github.sdm.core.testkit.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AutoencoderKLConfigTest {

    @Test
    void readsTheTinyFixtureConfig() {
        AutoencoderKLConfig c = AutoencoderKLConfig.read(TestData.fixture("vae/config.json"));
        assertEquals(new AutoencoderKLConfig(3, 3, List.of(16, 32, 32, 32), 1, 4, 8, 0.18215, true), c);
        assertEquals(8, c.downscaleFactor());
    }

    @Test
    void takesDiffusersDefaultsForOmittedFields() {
        AutoencoderKLConfig c = AutoencoderKLConfig.parse("{\"_class_name\": \"AutoencoderKL\"}", "vae.json");
        assertEquals(new AutoencoderKLConfig(3, 3, List.of(64), 1, 4, 32, 0.18215, true), c);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"_class_name\": \"AutoencoderTiny\"} | _class_name = AutoencoderTiny",
        "{\"act_fn\": \"relu\"} | act_fn = relu",
        "{\"block_out_channels\": [64, 128]} | down_block_types",
        "{\"block_out_channels\": [64], \"down_block_types\": [\"DownBlock2D\"]} | only DownEncoderBlock2D",
        "{\"block_out_channels\": [48], \"norm_num_groups\": 32} | multiples of norm_num_groups 32",
        "{\"layers_per_block\": 1.5} | layers_per_block = 1.5: expected an integer",
        "{\"use_quant_conv\": false} | quant convs",
        "{\"shift_factor\": 0.1159} | shift_factor",
    })
    void rejectsUnsupportedOrInvalidConfigsNamingSourceAndField(String json, String fragment) {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> AutoencoderKLConfig.parse(json, "vae.json"));
        assertTrue(e.getMessage().startsWith("vae.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
