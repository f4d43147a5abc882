package io.github.sdm.unet.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sdm.core.model.Precision;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.Half;
import io.github.sdm.core.safetensors.TensorInfo;
import io.github.sdm.unet.lora.LoraLayer;
import io.github.sdm.unet.lora.LoraNetwork;
import io.github.sdm.unet.lora.WeightedLayer;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a weight hands the engine ({@link GraphWeight#contents()}), on a linear weight {@code [2 out, 3 in]}: float16
 * values stored transposed ({@code [in, out]}), int8 values with the djl backend's per-channel scales (an all-zero
 * channel gets scale 1), and a LoRA update merged exactly.
 */
class GraphWeightTest {
    private static final String KEY = "proj.weight";
    /** Row 0 has peak 2.54, row 1 is all zeros. */
    private static final float[] W = {1.27f, -2.54f, 0.5f, 0f, 0f, 0f};
    private static final long[] DIMS = {2, 3};

    @Test
    void float16IsStoredTransposedForMatMul() {
        GraphWeight weight = new GraphWeight(KEY, source(W), KEY, DIMS, true, Precision.FP16, true, List.of());
        assertEquals(List.of(ElementType.FLOAT16), weight.initializers().stream().map(GraphWeight.Initializer::type)
                .toList());
        assertArrayEquals(new long[] {3, 2}, weight.initializers().get(0).dims());
        ByteBuffer halves = weight.contents().get(KEY);
        float[] stored = new float[6];
        for (int i = 0; i < 6; i++) {
            stored[i] = Half.toFloat(halves.getShort(2 * i));
        }
        // [in, out]: position i * out + o holds w[o][i]
        float[] expected = new float[6];
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < 3; i++) {
                expected[i * 2 + o] = Half.toFloat(Half.fromFloat(W[o * 3 + i]));
            }
        }
        assertArrayEquals(expected, stored);
    }

    @Test
    void int8HasOneScalePerOutputChannel() {
        GraphWeight weight = new GraphWeight(KEY, source(W), KEY, DIMS, true, Precision.INT8, false, List.of());
        Map<String, ByteBuffer> contents = weight.contents();
        ByteBuffer q = contents.get(KEY);
        ByteBuffer scales = contents.get(KEY + GraphWeight.SCALE_SUFFIX);
        float scale = 2.54f / 127f;
        assertEquals(scale, scales.getFloat(0));
        assertEquals(1f, scales.getFloat(4), "an all-zero channel");
        byte[] values = new byte[6];
        q.get(0, values);
        assertArrayEquals(new byte[] {(byte) Math.rint(1.27f / scale), -127, (byte) Math.rint(0.5f / scale), 0, 0, 0},
                values);
    }

    @Test
    void loraIsMergedIntoTheFloat32Values() {
        // rank 1: up [2, 1] = (1, 2), down [1, 3] = (1, 0, -1); factor 0.5 * 2 = 1
        LoraLayer layer = new LoraLayer(LoraNetwork.UNET, "proj", 1, 3, 2, 1, new float[] {1, 0, -1},
                new float[] {1, 2}, 0.5);
        GraphWeight weight = GraphWeight.float32(source(W), KEY, DIMS, true)
                .withLora(List.of(new WeightedLayer(layer, 2.0)));
        ByteBuffer merged = weight.contents().get(KEY);
        float[] values = new float[6];
        merged.asFloatBuffer().get(values);
        assertArrayEquals(new float[] {1.27f + 1, -2.54f, 0.5f - 1, 2, 0, -2}, values);
    }

    /** One float32 tensor named {@link #KEY}. */
    private static WeightSource source(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        TensorInfo info = new TensorInfo(KEY, DType.F32, DIMS, 0, values.length * 4L);
        return new WeightSource() {
            @Override
            public String description() {
                return "a test tensor";
            }

            @Override
            public Set<String> names() {
                return Set.of(KEY);
            }

            @Override
            public TensorInfo info(String name) {
                return info;
            }

            @Override
            public ByteBuffer bytes(String name) {
                return bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            }
        };
    }
}
