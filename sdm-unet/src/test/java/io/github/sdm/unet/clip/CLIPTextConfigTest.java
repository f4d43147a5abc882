package io.github.sdm.unet.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.ModelFormatException;
import io.github.sdm.core.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CLIPTextConfigTest {

    @Test
    void readsTheTinyFixtureConfig() {
        CLIPTextConfig c = CLIPTextConfig.read(TestData.fixture("text_encoder/config.json"));
        assertEquals(new CLIPTextConfig(49408, 32, 128, 2, 4, 77, CLIPTextConfig.Activation.QUICK_GELU, 1e-5), c);
        assertEquals(8, c.headDim());
    }

    @Test
    void takesTransformersDefaultsForOmittedFields() {
        CLIPTextConfig c = CLIPTextConfig.parse("""
                {"hidden_size": 1024, "intermediate_size": 4096, "num_attention_heads": 16,
                 "num_hidden_layers": 23, "hidden_act": "gelu", "projection_dim": 512}""", "sd2.json");
        assertEquals(new CLIPTextConfig(49408, 1024, 4096, 23, 16, 77, CLIPTextConfig.Activation.GELU, 1e-5), c);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"hidden_act\": \"gelu_new\"} | hidden_act = gelu_new",
        "{\"hidden_size\": 30, \"num_attention_heads\": 4} | not divisible by num_attention_heads 4",
        "{\"num_hidden_layers\": 0} | layers 0",
        "{\"hidden_size\": \"768\"} | hidden_size = \"768\": expected a number",
        "{\"model_type\": \"clip\"} | model_type = clip",
        "[1, 2] | expected a JSON object",
    })
    void rejectsUnsupportedOrInvalidConfigsNamingSourceAndField(String json, String fragment) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> CLIPTextConfig.parse(json, "te.json"));
        assertTrue(e.getMessage().startsWith("te.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
