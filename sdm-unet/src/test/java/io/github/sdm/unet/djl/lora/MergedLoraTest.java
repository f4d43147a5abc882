package io.github.sdm.unet.djl.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.sdm.core.model.LoraAdapter;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.djl.nn.Parameter;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.lora.LoraFile;
import io.github.sdm.unet.lora.LoraLayer;
import io.github.sdm.unet.lora.LoraNetwork;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The merged route on the tiny model's networks: every adapted weight becomes {@code W + m * scale * up @ down}
 * (checked against the rule computed here in double precision, LoCon 3x3 convolutions included), the others
 * keep their very arrays, and unmerging puts every original array back bit for bit.
 */
class MergedLoraTest {
    private static final double MULTIPLIER = 0.8;
    private NDManager manager;
    private CLIPTextModel clip;
    private UNet2DConditionModel unet;

    @BeforeEach
    void load() {
        manager = NDManager.newBaseManager("PyTorch");
        clip = CLIPTextModel.load(TestData.tinySd().resolve("text_encoder"), manager);
        unet = UNet2DConditionModel.load(TestData.tinySd().resolve("unet"), manager);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void kohyaMergesByTheRuleAndUnmergesBitForBit() {
        checkMergeAndUnmerge(TestData.fixture("tiny-lora/kohya.safetensors"));
    }

    @Test
    void diffusersMergesByTheRuleAndUnmergesBitForBit() {
        checkMergeAndUnmerge(TestData.fixture("tiny-lora/diffusers.safetensors"));
    }

    @Test
    void twoAdaptersAddUpEachWithItsMultiplier() {
        Path kohya = TestData.fixture("tiny-lora/kohya.safetensors");
        Path diffusers = TestData.fixture("tiny-lora/diffusers.safetensors");
        String key = "down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.weight";
        float[] original = values(unet, key);
        List<MergedLora> merged = LoraApplication.merge(
                List.of(new LoraAdapter(kohya, 0.5), new LoraAdapter(diffusers, -1.0)), clip, unet);
        double[] expected = toDouble(original);
        addUpdate(expected, layer(kohya, key), 0.5);
        addUpdate(expected, layer(diffusers, key), -1.0);
        assertClose(expected, values(unet, key), key);
        merged.forEach(MergedLora::unmerge);
        assertArrayEquals(original, values(unet, key));
    }

    private void checkMergeAndUnmerge(Path file) {
        Map<String, NDArray> before = arrays(clip, unet);
        Map<String, float[]> beforeValues = new LinkedHashMap<>();
        before.forEach((k, v) -> beforeValues.put(k, v.toFloatArray()));
        LoraFile.Contents contents = LoraFile.read(file, LoraParts.targets(clip, unet), false);
        assertEquals(List.of(), contents.warnings());
        try (SafetensorsFile raw = SafetensorsFile.open(file)) {
            assertEquals(raw.names().stream().filter(k -> k.endsWith("lora_down.weight") || k.endsWith("lora_A.weight"))
                    .count(), contents.layers().size(), "one layer per down key of " + file.getFileName());
        }

        List<MergedLora> merged = LoraApplication.merge(List.of(new LoraAdapter(file, MULTIPLIER)), clip, unet);

        Map<String, NDArray> after = arrays(clip, unet);
        int touched = 0;
        boolean sawConvolution = false;
        for (LoraLayer layer : contents.layers()) {
            String key = layer.part() + ".weight";
            String qualified = qualified(layer.network(), key);
            assertNotSame(before.get(qualified), after.get(qualified), key + " got a new array");
            double[] expected = toDouble(beforeValues.get(qualified));
            addUpdate(expected, layer, MULTIPLIER);
            assertClose(expected, after.get(qualified).toFloatArray(), key);
            sawConvolution |= layer.kernelSize() == 3;
            touched++;
        }
        assertEquals(contents.layers().size(), touched);
        assertEquals(file.getFileName().toString().startsWith("kohya"), sawConvolution, "LoCon 3x3 layers");
        for (Map.Entry<String, NDArray> e : before.entrySet()) {
            if (contents.layers().stream().noneMatch(l -> e.getKey().equals(qualified(l.network(), l.part() + ".weight")))) {
                assertSame(e.getValue(), after.get(e.getKey()), e.getKey() + " untouched");
            }
        }

        merged.forEach(MergedLora::unmerge);
        merged.forEach(m -> assertFalse(m.isMerged()));
        Map<String, NDArray> restored = arrays(clip, unet);
        for (Map.Entry<String, NDArray> e : before.entrySet()) {
            assertSame(e.getValue(), restored.get(e.getKey()), e.getKey() + " is the original array again");
            assertArrayEquals(beforeValues.get(e.getKey()), restored.get(e.getKey()).toFloatArray(),
                    e.getKey() + " bit for bit");
        }
        assertTrue(touched > 0);
    }

    /** {@code expected += multiplier * scale * up @ down}, in double precision. */
    private static void addUpdate(double[] expected, LoraLayer layer, double multiplier) {
        int rank = layer.rank();
        int columns = layer.down().length / rank;
        for (int o = 0; o < layer.outFeatures(); o++) {
            for (int c = 0; c < columns; c++) {
                double sum = 0;
                for (int r = 0; r < rank; r++) {
                    sum += (double) layer.up()[o * rank + r] * layer.down()[r * columns + c];
                }
                expected[o * columns + c] += multiplier * layer.scale() * sum;
            }
        }
    }

    private LoraLayer layer(Path file, String weightKey) {
        return LoraFile.read(file, LoraParts.targets(clip, unet), false).layers().stream()
                .filter(l -> l.network() == LoraNetwork.UNET && (l.part() + ".weight").equals(weightKey))
                .findFirst().orElseThrow();
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), what + " [" + i + "]");
        }
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static float[] values(Network network, String key) {
        return network.allParameters().get(key).value().toFloatArray();
    }

    private static String qualified(LoraNetwork network, String key) {
        return network + ":" + key;
    }

    /** Every parameter's current array, keyed by network and parameter key. */
    private static Map<String, NDArray> arrays(Network textEncoder, Network unet) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Parameter p : textEncoder.allParameters().values()) {
            out.put(qualified(LoraNetwork.TEXT_ENCODER, p.key()), p.value());
        }
        for (Parameter p : unet.allParameters().values()) {
            out.put(qualified(LoraNetwork.UNET, p.key()), p.value());
        }
        return out;
    }
}
