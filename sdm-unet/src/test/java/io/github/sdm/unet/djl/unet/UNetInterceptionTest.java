package io.github.sdm.unet.djl.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.PartInterceptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The early freeing of intermediate activations inside the UNet never frees what an interceptor kept or
 * returned, and never changes a value.
 */
class UNetInterceptionTest extends UNetFixtureCalls {
    @Test
    void leavesEveryInputAndOutputThatAnInterceptorKeptIntact() {
        try (NDManager cache = manager.newSubManager()) {
            Map<String, float[]> seen = new LinkedHashMap<>();
            Map<String, NDArray> kept = new LinkedHashMap<>();
            PartInterceptor keeper = (name, inputs, compute) -> {
                NDList out = compute.apply(inputs);
                for (int i = 0; i < inputs.size(); i++) {
                    seen.put(name + " in " + i, inputs.get(i).toFloatArray());
                }
                seen.put(name + " out", out.head().toFloatArray());
                for (int i = 0; i < inputs.size(); i++) {
                    inputs.get(i).attach(cache);
                    kept.put(name + " in " + i, inputs.get(i));
                }
                out.head().attach(cache);
                kept.put(name + " out", out.head());
                return out;
            };
            NDArray out = unet.forward(sample, timestep, context, ForwardContext.of(keeper));
            // every kept array still holds what the interceptor saw, though the pass went on after it
            for (Map.Entry<String, NDArray> e : kept.entrySet()) {
                assertArrayEquals(seen.get(e.getKey()), e.getValue().toFloatArray(), 0f, e.getKey());
            }
            assertTrue(kept.containsKey("down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q out"));
            assertArrayEquals(unet.forward(sample, timestep, context, ForwardContext.DEFAULT).toFloatArray(),
                    out.toFloatArray(), 0f);
        }
    }

    @Test
    void survivesPartsReplacedByTheirInput() {
        PartInterceptor skip = (name, inputs, compute) -> name.endsWith("norm1") || name.endsWith("attn1")
                || name.endsWith(".ff") || name.endsWith("conv2") || name.endsWith("to_q")
                || name.matches(".*attentions\\.\\d") || name.endsWith("proj_in")
                ? new NDList(inputs.head()) : compute.apply(inputs);
        NDArray out = unet.forward(sample, timestep, context, ForwardContext.of(skip));
        assertEquals(sample.getShape(), out.getShape());
        assertTrue(Float.isFinite(out.sum().getFloat()));
        // the inputs of the pass are left as they were
        assertTrue(Float.isFinite(sample.sum().getFloat()) && Float.isFinite(context.sum().getFloat()));
    }

    /**
     * Recording named parts (distillation's feature taps): an inner layer's output survives its block's early
     * freeing with the value the pass computed, the prediction is unchanged, and an unknown part is refused.
     */
    @Test
    void recordsAnyNamedPartsOutputIntact() {
        Map<String, float[]> seen = new LinkedHashMap<>();
        PartInterceptor watcher = (name, inputs, compute) -> {
            NDList out = compute.apply(inputs);
            seen.put(name, out.get(out.size() - 1).toFloatArray());
            return out;
        };
        List<String> parts = List.of("down_blocks.1.attentions.1", "down_blocks.1.resnets.0", "down_blocks.1",
                "up_blocks.2");
        UNetActivations acts = unet.forwardWithActivations(sample, timestep, context, ForwardContext.of(watcher),
                parts);
        assertEquals(Set.copyOf(parts), acts.blockOutputs().keySet());
        for (String part : parts) {
            assertArrayEquals(seen.get(part), acts.blockOutputs().get(part).toFloatArray(), 0f, part);
        }
        assertArrayEquals(unet.forward(sample, timestep, context, ForwardContext.DEFAULT).toFloatArray(),
                acts.output().toFloatArray(), 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> unet.forwardWithActivations(
                sample, timestep, context, ForwardContext.DEFAULT, List.of("down_blocks.9")));
        assertTrue(e.getMessage().contains("down_blocks.9"), e.getMessage());
    }
}
