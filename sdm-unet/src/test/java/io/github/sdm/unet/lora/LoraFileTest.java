package io.github.sdm.unet.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.SafetensorsWriter;
import io.github.sdm.core.safetensors.TensorSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both file layouts matched against a hand-made part list: names, shapes, scales and the errors. */
class LoraFileTest {
    /** Parts whose names hold underscores of their own, so only the part list tells where the dots were. */
    private static final LoraTargets TARGETS = new LoraTargets()
            .with(LoraNetwork.UNET, Map.of(
                    "down_blocks.0.attentions.0.proj_in", new long[] {8, 4, 1, 1},
                    "down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_out.0", new long[] {8, 8},
                    "down_blocks.0.resnets.0.conv1", new long[] {8, 4, 3, 3}))
            .with(LoraNetwork.TEXT_ENCODER, Map.of("text_model.encoder.layers.0.self_attn.q_proj", new long[] {6, 6}));

    @TempDir
    Path dir;

    @Test
    void kohyaPathsResolveThroughThePartNamesWithAlphaOverRank() {
        Path file = write("k.safetensors", Map.of(
                "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_out_0.lora_down.weight", shape(2, 8),
                "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_out_0.lora_up.weight", shape(8, 2),
                "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_out_0.alpha", shape(),
                "lora_unet_down_blocks_0_resnets_0_conv1.lora_down.weight", shape(2, 4, 3, 3),
                "lora_unet_down_blocks_0_resnets_0_conv1.lora_up.weight", shape(8, 2, 1, 1),
                "lora_te_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight", shape(2, 6),
                "lora_te_text_model_encoder_layers_0_self_attn_q_proj.lora_up.weight", shape(6, 2)));
        Map<String, LoraLayer> layers = byPart(LoraFile.read(file, TARGETS, false));
        assertEquals(3, layers.size());
        LoraLayer attention = layers.get("down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_out.0");
        assertEquals(LoraNetwork.UNET, attention.network());
        assertEquals(ALPHA / 2, attention.scale(), 1e-12, "alpha / rank");
        LoraLayer locon = layers.get("down_blocks.0.resnets.0.conv1");
        assertEquals(3, locon.kernelSize());
        assertEquals(1.0, locon.scale(), "no alpha: scale 1");
        assertEquals(LoraNetwork.TEXT_ENCODER, layers.get("text_model.encoder.layers.0.self_attn.q_proj").network());
    }

    @Test
    void readingOneNetworkStillChecksTheOthersKeysAndShapes() {
        Path file = write("n.safetensors", Map.of(
                "unet.down_blocks.0.attentions.0.proj_in.lora_A.weight", shape(2, 4, 1, 1),
                "unet.down_blocks.0.attentions.0.proj_in.lora_B.weight", shape(8, 2, 1, 1),
                "text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora_A.weight", shape(2, 6),
                "text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora_B.weight", shape(6, 3)));
        LoraFormatException e = assertThrows(LoraFormatException.class,
                () -> LoraFile.read(file, TARGETS, false, EnumSet.of(LoraNetwork.UNET)));
        assertTrue(e.getMessage().contains("q_proj.lora_B.weight"), e.getMessage());
        Path good = write("g.safetensors", Map.of(
                "unet.down_blocks.0.attentions.0.proj_in.lora_A.weight", shape(2, 4, 1, 1),
                "unet.down_blocks.0.attentions.0.proj_in.lora_B.weight", shape(8, 2, 1, 1),
                "text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora_A.weight", shape(2, 6),
                "text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora_B.weight", shape(6, 2)));
        List<LoraLayer> unetOnly = LoraFile.read(good, TARGETS, false, EnumSet.of(LoraNetwork.UNET)).layers();
        assertEquals(1, unetOnly.size());
        assertEquals(LoraNetwork.UNET, unetOnly.get(0).network());
    }

    @Test
    void diffusersKeysNameTheParts() {
        Path file = write("d.safetensors", Map.of(
                "unet.down_blocks.0.attentions.0.proj_in.lora_A.weight", shape(2, 4, 1, 1),
                "unet.down_blocks.0.attentions.0.proj_in.lora_B.weight", shape(8, 2, 1, 1),
                "text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora_A.weight", shape(2, 6),
                "text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora_B.weight", shape(6, 2)));
        Map<String, LoraLayer> layers = byPart(LoraFile.read(file, TARGETS, false));
        assertEquals(2, layers.size());
        assertEquals(1.0, layers.get("down_blocks.0.attentions.0.proj_in").scale());
        assertEquals(1, layers.get("down_blocks.0.attentions.0.proj_in").kernelSize());
    }

    @Test
    void aKeyMatchingNoPartIsAnErrorNamingItOrAWarningWhenAsked() {
        String stray = "lora_unet_down_blocks_9_resnets_0_conv1.lora_down.weight";
        Path file = write("s.safetensors", Map.of(stray, shape(2, 4, 3, 3),
                "unet.down_blocks.0.attentions.0.proj_in.lora_A.weight", shape(2, 4, 1, 1),
                "unet.down_blocks.0.attentions.0.proj_in.lora_B.weight", shape(8, 2, 1, 1)));
        LoraFormatException e = assertThrows(LoraFormatException.class, () -> LoraFile.read(file, TARGETS, false));
        assertTrue(e.getMessage().contains(stray), e.getMessage());
        LoraFile.Contents lenient = LoraFile.read(file, TARGETS, true);
        assertEquals(1, lenient.layers().size());
        assertEquals(1, lenient.warnings().size());
        assertTrue(lenient.warnings().get(0).contains(stray), lenient.warnings().get(0));
    }

    @Test
    void aShapeThatDoesNotFitIsAnErrorNamingTheKeyEvenWhenUnmatchedKeysAreIgnored() {
        String down = "lora_unet_down_blocks_0_resnets_0_conv1.lora_down.weight";
        Path file = write("b.safetensors", Map.of(down, shape(2, 4, 1, 1), // 1x1 down on a 3x3 convolution
                "lora_unet_down_blocks_0_resnets_0_conv1.lora_up.weight", shape(8, 2, 1, 1)));
        LoraFormatException e = assertThrows(LoraFormatException.class, () -> LoraFile.read(file, TARGETS, true));
        assertTrue(e.getMessage().contains(down) && e.getMessage().contains("[8, 4, 3, 3]"), e.getMessage());

        String up = "unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_out.0.lora_B.weight";
        Path wrongUp = write("u.safetensors", Map.of(
                "unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_out.0.lora_A.weight", shape(2, 8),
                up, shape(8, 3)));
        e = assertThrows(LoraFormatException.class, () -> LoraFile.read(wrongUp, TARGETS, false));
        assertTrue(e.getMessage().contains(up), e.getMessage());
    }

    @Test
    void aDownWithoutItsUpIsAnErrorNamingTheKey() {
        String down = "lora_te_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight";
        Path file = write("h.safetensors", Map.of(down, shape(2, 6)));
        LoraFormatException e = assertThrows(LoraFormatException.class, () -> LoraFile.read(file, TARGETS, false));
        assertTrue(e.getMessage().contains(down) && e.getMessage().contains("no up"), e.getMessage());
    }

    @Test
    void twoPartsWithOneUnderscoredFormAreRefusedWhenAKeyNamesThem() {
        LoraTargets clash = new LoraTargets().with(LoraNetwork.UNET,
                Map.of("a.b_c", new long[] {2, 2}, "a_b.c", new long[] {2, 2}));
        String key = "lora_unet_a_b_c.lora_down.weight";
        Path file = write("c.safetensors", Map.of(key, shape(1, 2), "lora_unet_a_b_c.lora_up.weight", shape(2, 1)));
        LoraFormatException e = assertThrows(LoraFormatException.class, () -> LoraFile.read(file, clash, false));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    private static final float ALPHA = 3f;

    private static long[] shape(long... dims) {
        return dims;
    }

    /** A file with the given tensors, filled with a ramp (alpha tensors hold {@link #ALPHA}). */
    private Path write(String name, Map<String, long[]> tensors) {
        List<TensorSource> sources = new ArrayList<>();
        for (Map.Entry<String, long[]> e : new LinkedHashMap<>(tensors).entrySet()) {
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            float[] values = new float[(int) n];
            for (int i = 0; i < values.length; i++) {
                values[i] = e.getKey().endsWith(".alpha") ? ALPHA : 0.01f * i;
            }
            sources.add(TensorSource.ofFloats(e.getKey(), DType.F32, values, e.getValue()));
        }
        Path file = dir.resolve(name);
        SafetensorsWriter.write(file, sources);
        return file;
    }

    private static Map<String, LoraLayer> byPart(LoraFile.Contents contents) {
        Map<String, LoraLayer> out = new LinkedHashMap<>();
        contents.layers().forEach(l -> out.put(l.part(), l));
        return out;
    }
}
