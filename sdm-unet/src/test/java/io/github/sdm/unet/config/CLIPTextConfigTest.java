package io.github.sdm.unet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.testkit.TestData;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                arguments("{\"hidden_act\": \"gelu_new\"}", "'hidden_act' = \"gelu_new\": supported: quick_gelu, gelu"),
                arguments("{\"hidden_size\": 30, \"num_attention_heads\": 4}",
                        "not divisible by num_attention_heads 4"),
                arguments("{\"num_hidden_layers\": 0}", "layers 0"),
                arguments("{\"hidden_size\": \"768\"}", "'hidden_size' = \"768\": expected an integer"),
                arguments("{\"model_type\": \"clip\"}", "'model_type' = \"clip\": expected clip_text_model"),
                arguments("{\"layer_norm_eps\": true}", "'layer_norm_eps' = true: expected a number"),
                arguments("[1, 2]", "expected a JSON object"),
                arguments("{\"hidden_size\": ", "malformed JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void rejectsUnsupportedOrInvalidConfigsNamingSourceAndField(String json, String fragment) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> CLIPTextConfig.parse(json, "te.json"));
        assertTrue(e.getMessage().startsWith("te.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
