package io.github.sdm.unet.ldm;

import static io.github.sdm.unet.Fixtures.assertClose;
import static io.github.sdm.unet.Fixtures.floats;
import static io.github.sdm.unet.Fixtures.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.Fixtures;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.nn.TestSafetensors;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Stable Diffusion 2.x style single file, written here from the tiny text encoder in OpenCLIP's layout
 * (fused {@code in_proj} q/k/v rows, {@code ln_1}, {@code c_fc}, one surplus layer as SD 2.x stores, a
 * {@code text_projection} and {@code logit_scale}), must read back as exactly the Hugging Face weights.
 */
class OpenClipTextWeightsTest {
    private static final String P = LdmCheckpoint.OPEN_CLIP_PREFIX;

    @TempDir
    Path dir;

    @Test
    void splitsFusedProjectionsAndRenamesLikeDiffusersConversion() throws Exception {
        Path folder = TestData.fixture("text_encoder");
        CLIPTextConfig config = CLIPTextConfig.read(folder.resolve("config.json"));
        Path single = dir.resolve("sd2-style.safetensors");
        try (SafetensorsFile hf = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            writeOpenClipLayout(hf, config, single);
        }
        try (SafetensorsFile hf = SafetensorsFile.open(folder.resolve("model.safetensors"));
                LdmCheckpoint checkpoint = LdmCheckpoint.open(single)) {
            WeightSource mapped = checkpoint.textEncoder(config);
            assertEquals(hf.names(), mapped.names());
            for (String key : hf.names()) {
                assertArrayEquals(hf.info(key).shape(), mapped.info(key).shape(), key + ": shape");
                assertEquals(hf.bytes(key), mapped.bytes(key), key + ": bytes");
            }
            try (NDManager manager = NDManager.newBaseManager();
                    SafetensorsFile reference = SafetensorsFile.open(folder.resolve("reference.safetensors"));
                    CLIPTextModel encoder = CLIPTextModel.load(config, mapped, manager)) {
                assertClose(floats(reference, "last_hidden_state", manager),
                        encoder.encode(longs(reference, "input_ids", manager)), "last_hidden_state");
            }
        }
    }

    @Test
    void hidesBuffersKeepsUnknownTransformerKeysAndRejectsAnUnsplittableFusedTensor() throws Exception {
        Path file = new TestSafetensors()
                .put(P + "attn_mask", 4, 4)
                .put(P + "transformer.resblocks.0.attn.bogus", 2)
                .put(P + "transformer.resblocks.0.attn.in_proj_weight", 4, 2)
                .write(dir.resolve("odd-openclip.safetensors"));
        try (LdmCheckpoint checkpoint = LdmCheckpoint.open(file)) {
            WeightSource mapped = checkpoint.textEncoder(CLIPTextConfig.stableDiffusion15());
            assertEquals(Set.of("transformer.resblocks.0.attn.bogus",
                    "text_model.encoder.layers.0.self_attn.q_proj.weight",
                    "text_model.encoder.layers.0.self_attn.k_proj.weight",
                    "text_model.encoder.layers.0.self_attn.v_proj.weight"), mapped.names());
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> mapped.info("text_model.encoder.layers.0.self_attn.k_proj.weight"));
            assertTrue(e.getMessage().contains("odd-openclip.safetensors"), e.getMessage());
            assertTrue(e.getMessage().contains("in_proj_weight") && e.getMessage().contains("[4, 2]"), e.getMessage());
        }
    }

    private static void writeOpenClipLayout(SafetensorsFile hf, CLIPTextConfig config, Path out) throws Exception {
        int d = config.hiddenSize();
        TestSafetensors file = new TestSafetensors();
        Map<String, String> top = Map.of(
                "token_embedding.weight", "text_model.embeddings.token_embedding.weight",
                "positional_embedding", "text_model.embeddings.position_embedding.weight",
                "ln_final.weight", "text_model.final_layer_norm.weight",
                "ln_final.bias", "text_model.final_layer_norm.bias");
        top.forEach((openClip, key) -> file.put(P + openClip, hf.floats(key), hf.info(key).shape()));
        // SD 2.x stores one layer more than its text encoder runs: the last one (a copy here) must be dropped.
        for (int stored = 0; stored <= config.numHiddenLayers(); stored++) {
            int layer = Math.min(stored, config.numHiddenLayers() - 1);
            String hfLayer = "text_model.encoder.layers." + layer + ".";
            String block = P + "transformer.resblocks." + stored + ".";
            Map<String, String> same = Map.of(
                    "ln_1", "layer_norm1", "ln_2", "layer_norm2", "attn.out_proj", "self_attn.out_proj",
                    "mlp.c_fc", "mlp.fc1", "mlp.c_proj", "mlp.fc2");
            for (Map.Entry<String, String> e : same.entrySet()) {
                for (String leaf : new String[] {".weight", ".bias"}) {
                    String key = hfLayer + e.getValue() + leaf;
                    file.put(block + e.getKey() + leaf, hf.floats(key), hf.info(key).shape());
                }
            }
            file.put(block + "attn.in_proj_weight", fused(hf, hfLayer, "weight"), 3L * d, d);
            file.put(block + "attn.in_proj_bias", fused(hf, hfLayer, "bias"), 3L * d);
        }
        file.put(P + "text_projection", d, d);
        file.put(P + "logit_scale", new float[] {4.6f}, 1);
        file.write(out);
    }

    /** {@code cat([q, k, v], dim=0)}, as {@code torch.nn.MultiheadAttention} stores its input projection. */
    private static float[] fused(SafetensorsFile hf, String layer, String leaf) {
        float[] q = hf.floats(layer + "self_attn.q_proj." + leaf);
        float[] k = hf.floats(layer + "self_attn.k_proj." + leaf);
        float[] v = hf.floats(layer + "self_attn.v_proj." + leaf);
        float[] out = new float[q.length * 3];
        System.arraycopy(q, 0, out, 0, q.length);
        System.arraycopy(k, 0, out, q.length, k.length);
        System.arraycopy(v, 0, out, 2 * q.length, v.length);
        return out;
    }
}
