package io.github.sdm.unet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.djl.unet.UNetFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class UNetConfigTest {
    private static final String SD15_LIKE = """
            {"_class_name": "UNet2DConditionModel", "in_channels": 4, "out_channels": 4,
             "block_out_channels": [32, 64], "layers_per_block": 2,
             "down_block_types": ["CrossAttnDownBlock2D", "DownBlock2D"],
             "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D"],
             "attention_head_dim": 8, "cross_attention_dim": 32, "norm_num_groups": 8,
             "lambda": -Infinity, "%s": %s}""";

    private static UNetConfig parse(String field, String value) {
        return UNetConfig.parse(SD15_LIKE.formatted(field, value), "test/config.json");
    }

    @Test
    void readsTheFixtureConfigsWithPerBlockHeads() {
        UNetConfig sd2 = UNetConfig.read(UNetFixtures.folder("unet-sd2").resolve("config.json"));
        assertEquals(List.of(2, 4, 4, 4), sd2.attentionHeads());
        assertTrue(sd2.useLinearProjection() && sd2.upcastAttention());
        UNetConfig sd15 = UNetConfig.read(UNetFixtures.folder("unet-sd15").resolve("config.json"));
        assertEquals(List.of(8, 8, 8, 8), sd15.attentionHeads());
        assertEquals(List.of(16, 32, 32, 32), sd15.blockOutChannels());
        assertEquals(List.of(32, 32, 32, 32), sd15.crossAttentionDim());
        assertEquals(64, sd15.timeEmbeddingDim());
        assertEquals(1e-5, sd15.normEps());
    }

    @Test
    void numAttentionHeadsWinsOverAttentionHeadDim() {
        assertEquals(List.of(2, 4), parse("num_attention_heads", "[2, 4]").attentionHeads());
        assertEquals(List.of(8, 8), parse("num_attention_heads", "null").attentionHeads());
    }

    @Test
    void unsupportedValuesNameTheirField() {
        for (String[] c : new String[][] {
            {"resnet_time_scale_shift", "\"scale_shift\""},
            {"addition_embed_type", "\"text_time\""},
            {"only_cross_attention", "true"},
            {"dual_cross_attention", "true"},
            {"time_embedding_type", "\"fourier\""},
            {"class_embed_type", "\"timestep\""},
            {"act_fn", "\"gelu\""},
            {"attention_head_dim", "[8, 8, 8]"},
            {"norm_num_groups", "7"},
            {"down_block_types", "[\"SimpleCrossAttnDownBlock2D\", \"DownBlock2D\"]"},
        }) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> parse(c[0], c[1]), c[0]);
            assertTrue(e.getMessage().contains("test/config.json") && e.getMessage().contains("'" + c[0] + "'"),
                    e.getMessage());
        }
    }

    @Test
    void missingRequiredFieldIsNamed() {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> UNetConfig.parse("{\"block_out_channels\": [32]}", "x.json"));
        assertTrue(e.getMessage().contains("down_block_types"), e.getMessage());
    }

    @Test
    void anExplicitNullMidBlockTypeMeansNoMidBlockWhileAnAbsentOneMeansTheDefault() {
        assertTrue(UNetConfig.parse(SD15_LIKE.formatted("unused", 0), "test/config.json").hasMidBlock(), "absent");
        assertTrue(parse("mid_block_type", "\"UNetMidBlock2DCrossAttn\"").hasMidBlock());
        assertFalse(parse("mid_block_type", "null").hasMidBlock());
        assertTrue(UNetConfig.read(UNetFixtures.folder("unet-small").resolve("config.json")).hasMidBlock());
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> parse("mid_block_type", "\"UNetMidBlock2DSimpleCrossAttn\""));
        assertEquals("test/config.json: 'mid_block_type' = \"UNetMidBlock2DSimpleCrossAttn\": not supported by sdm"
                + " (only UNetMidBlock2DCrossAttn is)", e.getMessage());
    }

    @Test
    void sampleSizeIsOneSideOrHeightAndWidth() {
        assertEquals(32, parse("sample_size", "32").sampleSize());
        assertEquals(48, parse("sample_size", "[48, 64]").sampleSize());
        assertEquals(64, parse("sample_size", "null").sampleSize());
        assertEquals("test/config.json: 'sample_size' = []: expected a size or [height, width]",
                assertThrows(ModelFormatException.class, () -> parse("sample_size", "[]")).getMessage());
    }

    @Test
    void errorsHaveOneFormatNamingFileKeyAndValue() {
        assertEquals("test/config.json: 'norm_num_groups' = 7: must divide every entry of block_out_channels"
                + " [32, 64]", assertThrows(ModelFormatException.class, () -> parse("norm_num_groups", "7")).getMessage());
        assertEquals("test/config.json: 'in_channels' = \"4\": expected an integer",
                assertThrows(ModelFormatException.class, () -> parse("in_channels", "\"4\"")).getMessage());
        assertEquals("test/config.json: 'layers_per_block' = [2,0]: entries must be positive",
                assertThrows(ModelFormatException.class, () -> parse("layers_per_block", "[2, 0]")).getMessage());
        assertEquals("x.json: required key 'down_block_types' is missing", assertThrows(ModelFormatException.class,
                () -> UNetConfig.parse("{\"block_out_channels\": [32]}", "x.json")).getMessage());
    }

    @Test
    void sd15ConfigHasTheRealDimensions() {
        UNetConfig c = UNetConfig.stableDiffusion15();
        assertEquals(List.of(320, 640, 1280, 1280), c.blockOutChannels());
        assertEquals(1280, c.timeEmbeddingDim());
        assertEquals(List.of(768, 768, 768, 768), c.crossAttentionDim());
        // 859.52 M parameters, as diffusers reports for SD 1.5's UNet
        long params = new UNet2DConditionModel(c).allParameters().values().stream()
                .mapToLong(p -> java.util.Arrays.stream(p.shape()).reduce(1, (a, b) -> a * b)).sum();
        assertEquals(859_520_964L, params);
    }
}
