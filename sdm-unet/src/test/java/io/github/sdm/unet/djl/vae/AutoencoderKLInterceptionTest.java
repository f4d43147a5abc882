package io.github.sdm.unet.djl.vae;

import static io.github.sdm.unet.Fixtures.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.PartInterceptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every VAE part runs through the interceptor under its checkpoint name, and the early freeing of
 * intermediate activations never frees what an interceptor kept or returned.
 */
class AutoencoderKLInterceptionTest {
    private static NDManager manager;
    private static AutoencoderKL vae;
    private static NDArray z;
    private static long[] decodedShape;

    @BeforeAll
    static void load() {
        manager = NDManager.newBaseManager();
        vae = AutoencoderKL.load(TestData.fixture("vae"), manager);
        try (SafetensorsFile reference = SafetensorsFile.open(TestData.fixture("vae/reference.safetensors"))) {
            z = floats(reference, "z", manager);
            decodedShape = reference.info("decoded").shape();
        }
    }

    @AfterAll
    static void release() {
        vae.close();
        manager.close();
    }

    private static NDArray latents(NDManager m) {
        NDArray copy = z.duplicate();
        copy.attach(m);
        return copy;
    }

    @Test
    void runsEveryPartThroughTheInterceptorByName() {
        List<String> seen = new ArrayList<>();
        PartInterceptor recorder = (name, inputs, compute) -> {
            seen.add(name);
            return compute.apply(inputs);
        };
        try (NDManager m = manager.newSubManager()) {
            vae.decode(latents(m), ForwardContext.of(recorder));
        }
        assertEquals("post_quant_conv", seen.get(0));
        assertTrue(seen.containsAll(List.of("decoder", "decoder.mid_block.attentions.0.to_q",
                "decoder.up_blocks.0.upsamplers.0.conv", "decoder.up_blocks.3.resnets.1.norm2", "decoder.conv_out")),
                seen.toString());
        assertEquals(vae.walk().stream().filter(p -> p.name().startsWith("decoder")).count(),
                seen.stream().filter(n -> n.startsWith("decoder")).count(), "each decoder part runs once");
    }

    @Test
    void leavesActivationsThatAnInterceptorKeptIntact() {
        try (NDManager cache = manager.newSubManager(); NDManager m = manager.newSubManager()) {
            Map<String, NDArray> kept = new LinkedHashMap<>();
            PartInterceptor keeper = (name, inputs, compute) -> {
                NDList out = compute.apply(inputs);
                for (NDArray input : inputs) {
                    input.attach(cache);
                }
                out.head().attach(cache);
                kept.put(name, out.head());
                return out;
            };
            NDArray decoded = vae.decode(latents(m), ForwardContext.of(keeper));
            for (Map.Entry<String, NDArray> e : kept.entrySet()) {
                assertTrue(e.getValue().toFloatArray().length > 0, e.getKey() + " was freed");
            }
            assertArrayEquals(decoded.toFloatArray(), kept.get("decoder").toFloatArray());
            assertArrayEquals(vae.decode(latents(m)).toFloatArray(), decoded.toFloatArray(), 0f);
        }
    }

    @Test
    void survivesAPartReplacedByItsInput() {
        PartInterceptor skipAttention = (name, inputs, compute) ->
                name.endsWith("attentions.0") || name.endsWith("upsamplers.0.conv") ? new NDList(inputs.head())
                        : compute.apply(inputs);
        try (NDManager m = manager.newSubManager()) {
            NDArray decoded = vae.decode(latents(m), ForwardContext.of(skipAttention));
            assertArrayEquals(decodedShape, decoded.getShape().getShape());
            assertTrue(Float.isFinite(decoded.sum().getFloat()));
        }
    }
}
