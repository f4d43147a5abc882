package io.github.sdm.unet.ldm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.nn.TestSafetensors;
import io.github.sdm.unet.djl.nn.WeightLoader;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Key mappings on Stable Diffusion 1.5's real block layout (as diffusers' conversion maps them), keys without
 * an equivalent, and the errors a wrong single file gives.
 */
class LdmKeyMappingTest {
    /** SD 1.5: 2 layers, three cross-attention down blocks then a plain one, mirrored up blocks. */
    private static final LdmUNetLayout SD15 = new LdmUNetLayout(2, List.of(true, true, true, false),
            List.of(false, true, true, true));

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
        "time_embed.0.weight, time_embedding.linear_1.weight",
        "time_embed.2.bias, time_embedding.linear_2.bias",
        "input_blocks.0.0.weight, conv_in.weight",
        "input_blocks.1.0.in_layers.0.weight, down_blocks.0.resnets.0.norm1.weight",
        "input_blocks.2.0.emb_layers.1.weight, down_blocks.0.resnets.1.time_emb_proj.weight",
        "input_blocks.2.1.transformer_blocks.0.attn2.to_k.weight, down_blocks.0.attentions.1.transformer_blocks.0.attn2.to_k.weight",
        "input_blocks.3.0.op.weight, down_blocks.0.downsamplers.0.conv.weight",
        "input_blocks.4.0.skip_connection.bias, down_blocks.1.resnets.0.conv_shortcut.bias",
        "input_blocks.9.0.op.bias, down_blocks.2.downsamplers.0.conv.bias",
        "input_blocks.11.0.out_layers.3.weight, down_blocks.3.resnets.1.conv2.weight",
        "middle_block.0.in_layers.2.weight, mid_block.resnets.0.conv1.weight",
        "middle_block.1.proj_in.weight, mid_block.attentions.0.proj_in.weight",
        "middle_block.2.out_layers.0.bias, mid_block.resnets.1.norm2.bias",
        "output_blocks.0.0.skip_connection.weight, up_blocks.0.resnets.0.conv_shortcut.weight",
        "output_blocks.2.1.conv.weight, up_blocks.0.upsamplers.0.conv.weight",
        "output_blocks.3.1.norm.weight, up_blocks.1.attentions.0.norm.weight",
        "output_blocks.5.2.conv.bias, up_blocks.1.upsamplers.0.conv.bias",
        "output_blocks.11.1.proj_out.weight, up_blocks.3.attentions.2.proj_out.weight",
        "out.0.weight, conv_norm_out.weight",
        "out.2.bias, conv_out.bias",
        // no place in SD 1.5's layout
        "input_blocks.12.0.in_layers.0.weight, -",
        "input_blocks.10.1.proj_in.weight, -",
        "input_blocks.12.0.op.weight, -",
        "output_blocks.1.1.norm.weight, -",
        "output_blocks.11.2.conv.weight, -",
        "output_blocks.12.0.in_layers.0.weight, -",
        "middle_block.3.in_layers.0.weight, -",
        "input_blocks.1.0.in_layers.1.weight, -",
        "label_emb.0.0.weight, -",
    })
    void mapsUNetKeysAsDiffusersConversion(String ldm, String diffusers) {
        assertEquals(diffusers, new UNetKeyMapping(SD15).toDiffusers(ldm));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
        "encoder.conv_in.weight, encoder.conv_in.weight",
        "encoder.norm_out.bias, encoder.conv_norm_out.bias",
        "encoder.down.1.block.0.nin_shortcut.weight, encoder.down_blocks.1.resnets.0.conv_shortcut.weight",
        "encoder.down.2.downsample.conv.bias, encoder.down_blocks.2.downsamplers.0.conv.bias",
        "encoder.mid.block_2.norm1.weight, encoder.mid_block.resnets.1.norm1.weight",
        "encoder.mid.attn_1.proj_out.weight, encoder.mid_block.attentions.0.to_out.0.weight",
        "decoder.mid.attn_1.norm.weight, decoder.mid_block.attentions.0.group_norm.weight",
        "decoder.up.3.upsample.conv.weight, decoder.up_blocks.0.upsamplers.0.conv.weight",
        "decoder.up.0.block.2.conv2.bias, decoder.up_blocks.3.resnets.2.conv2.bias",
        "post_quant_conv.weight, post_quant_conv.weight",
        "decoder.up.4.block.0.conv1.weight, -",
        "encoder.mid.block_3.conv1.weight, -",
        "encoder.mid.attn_1.proj_in.weight, -",
    })
    void mapsVaeKeysAsDiffusersConversion(String ldm, String diffusers) {
        assertEquals(diffusers, new VaeKeyMapping(4).toDiffusers(ldm));
    }

    @Test
    void keepsUnmappableKeysForTheLoaderToReportAndHidesIgnoredOnes() throws Exception {
        Path file = new TestSafetensors()
                .put("first_stage_model.encoder.conv_in.bias", 16)
                .put("first_stage_model.encoder.bogus.weight", 4)
                .put("first_stage_model.loss.logvar", 1)
                .put("cond_stage_model.transformer.text_model.embeddings.position_ids", 1, 77)
                .put("cond_stage_model.transformer.text_model.final_layer_norm.bias", 32)
                .write(dir.resolve("odd.safetensors"));
        AutoencoderKLConfig config = AutoencoderKLConfig.stableDiffusion15();
        try (LdmCheckpoint checkpoint = LdmCheckpoint.open(file); NDManager manager = NDManager.newBaseManager()) {
            assertEquals(Set.of("encoder.conv_in.bias", "first_stage_model.encoder.bogus.weight"),
                    checkpoint.vae(config).names());
            assertEquals(Set.of("text_model.final_layer_norm.bias"),
                    checkpoint.textEncoder(CLIPTextConfig.stableDiffusion15()).names());
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> WeightLoader.load(new AutoencoderKL(config), checkpoint.vae(config), manager));
            assertTrue(e.getMessage().contains("odd.safetensors"), e.getMessage());
            assertTrue(e.getMessage().contains("first_stage_model.encoder.bogus.weight"), e.getMessage());
        }
    }

    @Test
    void namesTheFileAndPrefixWhenANetworkIsAbsent() throws Exception {
        Path file = new TestSafetensors().put("first_stage_model.encoder.conv_in.bias", 16)
                .write(dir.resolve("vae-only.safetensors"));
        try (LdmCheckpoint checkpoint = LdmCheckpoint.open(file)) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> checkpoint.unet(SD15));
            assertTrue(e.getMessage().contains("vae-only.safetensors"), e.getMessage());
            assertTrue(e.getMessage().contains("model.diffusion_model."), e.getMessage());
            e = assertThrows(ModelFormatException.class,
                    () -> checkpoint.textEncoder(CLIPTextConfig.stableDiffusion15()));
            assertTrue(e.getMessage().contains("cond_stage_model.transformer."), e.getMessage());
        }
    }

    @Test
    void rejectsAnAttentionProjectionThatIsNotA1x1Kernel() throws Exception {
        Path file = new TestSafetensors().put("first_stage_model.encoder.mid.attn_1.q.weight", 8, 8, 3, 3)
                .write(dir.resolve("bad-attn.safetensors"));
        try (LdmCheckpoint checkpoint = LdmCheckpoint.open(file)) {
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> checkpoint.vae(AutoencoderKLConfig.stableDiffusion15())
                            .info("encoder.mid_block.attentions.0.to_q.weight"));
            assertTrue(e.getMessage().contains("bad-attn.safetensors"), e.getMessage());
            assertTrue(e.getMessage().contains("[8, 8, 3, 3]"), e.getMessage());
        }
    }

    @Test
    void readsTheLayoutFromADiffusersUNetConfig() {
        LdmUNetLayout layout = LdmUNetLayout.parse("""
                {"block_out_channels": [320, 640, 1280, 1280], "attention_head_dim": 8, "layers_per_block": [2, 2, 2, 2],
                 "down_block_types": ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
                 "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"]}""",
                "sd15.json");
        assertEquals(SD15, layout);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> LdmUNetLayout.parse("""
                {"block_out_channels": [32], "attention_head_dim": 8, "layers_per_block": 2,
                 "down_block_types": ["SimpleCrossAttnDownBlock2D"], "up_block_types": ["UpBlock2D"]}""", "odd.json"));
        assertTrue(e.getMessage().startsWith("odd.json: 'down_block_types' = "), e.getMessage());
    }

    @Test
    void derivesTheLayoutFromAUNetConfigAndRejectsWhatTheLdmLayoutCannotHold() {
        String twoBlocks = """
                {"block_out_channels": [32, 64], "attention_head_dim": 8, "layers_per_block": %s,
                 "down_block_types": ["CrossAttnDownBlock2D", "DownBlock2D"],
                 "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D"], "mid_block_type": %s}""";
        UNetConfig config = UNetConfig.parse(twoBlocks.formatted("1", "\"UNetMidBlock2DCrossAttn\""), "two.json");
        assertEquals(new LdmUNetLayout(1, List.of(true, false), List.of(false, true)),
                LdmUNetLayout.of(config, "two.json"));
        ModelFormatException mixed = assertThrows(ModelFormatException.class, () -> LdmUNetLayout.of(
                UNetConfig.parse(twoBlocks.formatted("[1, 2]", "null"), "mixed.json"), "mixed.json"));
        assertEquals("mixed.json: 'layers_per_block' = [1, 2]: the LDM layout needs the same layer count for every"
                + " block", mixed.getMessage());
        ModelFormatException noMid = assertThrows(ModelFormatException.class, () -> LdmUNetLayout.of(
                UNetConfig.parse(twoBlocks.formatted("1", "null"), "bk.json"), "bk.json"));
        assertEquals("bk.json: 'mid_block_type' = null: the LDM layout has a cross-attention mid block",
                noMid.getMessage());
    }
}
