package io.github.sdm.inheritance.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.inheritance.FeatureInheritance;
import io.github.sdm.inheritance.plan.ReusedParts;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.strategy.DenoisingStrategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Layer- and unit-level reuse on the tiny UNet against hand-built interceptors, selection, memory hygiene. */
class PartReuseTest extends TinyUNetCalls {
    PartReuseTest() {
        super(6, 11, 200, 900f, 150f);
    }

    private Set<String> reused(String spec) {
        return ReusedParts.resolve(FeatureInheritance.parse(spec), unet.partNames(), unet.downBlocks().size());
    }

    @Test
    void layersAndUnitsAreSelectedByGroupPrefixAndKind() {
        Set<String> deep = reused("layer:deep:interval=2");
        assertTrue(deep.containsAll(List.of("down_blocks.1.resnets.0", "down_blocks.1.attentions.1",
                "down_blocks.2.downsamplers.0", "down_blocks.3.resnets.1", "mid_block.resnets.0",
                "mid_block.attentions.0", "mid_block.resnets.1", "up_blocks.0.resnets.2", "up_blocks.0.upsamplers.0",
                "up_blocks.2.attentions.2", "up_blocks.2.upsamplers.0")), deep.toString());
        for (String name : deep) {
            assertFalse(name.startsWith("down_blocks.0") || name.startsWith("up_blocks.3"), name);
            assertTrue(ReusedParts.isLayer(name), name);
        }
        // below the top level: down_blocks.1-2 (2 resnets, 2 attentions, a downsampler each), down_blocks.3
        // (2 resnets), the mid block (3), up_blocks.0 (3 resnets, an upsampler), up_blocks.1-2 (3 + 3 + 1 each)
        assertEquals(2 * 5 + 2 + 3 + 4 + 2 * 7, deep.size(), deep.toString());
        assertEquals(Set.of("up_blocks.1.attentions.0", "up_blocks.1.attentions.1", "up_blocks.1.attentions.2"),
                reused("layer:up_blocks.1.attentions:interval=2"));
        Set<String> units = reused("unit:attn1,up_blocks.3:interval=2");
        assertEquals(Set.of("up_blocks.3.attentions.0.transformer_blocks.0.attn1",
                "up_blocks.3.attentions.1.transformer_blocks.0.attn1",
                "up_blocks.3.attentions.2.transformer_blocks.0.attn1"), units);
        Set<String> all = reused("unit:attn2,ff:interval=2");
        // 6 down + 1 mid + 9 up transformers, two units each
        assertEquals(2 * 16, all.size(), all.toString());
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> reused("layer:down_blocks.7:interval=2"));
        assertTrue(e.getMessage().contains("'down_blocks.7'") && e.getMessage().contains("no layer"), e.getMessage());
        e = assertThrows(InvalidRequestException.class,
                () -> reused("unit:attn1,down_blocks.3:interval=2"));
        assertTrue(e.getMessage().contains("'down_blocks.3'") && e.getMessage().contains("attn1"), e.getMessage());
    }

    @Test
    void everyCallAKeyStepEqualsTheFullPassBitForBit() {
        for (String spec : List.of("layer:all:interval=1", "unit:attn1,attn2,ff:interval=1")) {
            try (DenoisingStrategy s = strategy(spec, 3)) {
                assertInstanceOf(PartReuse.class, s);
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(full(i), s.predict(unet, samples.get(i), timesteps.get(i), context, i, CTX)
                            .toFloatArray(), 0f, spec + " call " + i);
                }
            }
        }
    }

    @Test
    void reuseStepsReturnTheKeyStepOutputsOfTheChosenPartsAndRecomputeTheRest() {
        for (String spec : List.of("layer:deep:keys=0,3", "layer:down_blocks.0.attentions.1,up_blocks.3.resnets:keys=0,3",
                "unit:attn2,ff:keys=0,3", "unit:attn1,up:keys=0,3")) {
            Set<String> reused = reused(spec);
            try (NDManager keep = manager.newSubManager(); DenoisingStrategy s = strategy(spec, 5)) {
                // by hand: record the chosen parts' outputs at call 0, substitute them at calls 1 and 2
                Map<String, NDList> recorded = new HashMap<>();
                float[] key0 = unet.forward(samples.get(0), timesteps.get(0), context, ForwardContext.of(
                        (name, in, compute) -> {
                            NDList out = compute.apply(in);
                            if (reused.contains(name)) {
                                recorded.put(name, copy(out, keep));
                            }
                            return out;
                        })).toFloatArray();
                assertEquals(reused, recorded.keySet(), spec);
                assertArrayEquals(full(0), key0, 0f);
                assertArrayEquals(key0, s.predict(unet, samples.get(0), timesteps.get(0), context, 0, CTX)
                        .toFloatArray(), 0f, spec + " key step");
                for (int i = 1; i <= 2; i++) {
                    float[] byHand = unet.forward(samples.get(i), timesteps.get(i), context, ForwardContext.of(
                            (name, in, compute) -> reused.contains(name)
                                    ? copy(recorded.get(name), in.head().getManager()) : compute.apply(in)))
                            .toFloatArray();
                    Set<String> ran = new LinkedHashSet<>();
                    float[] out = s.predict(unet, samples.get(i), timesteps.get(i), context, i,
                            ForwardContext.of((name, in, compute) -> {
                                ran.add(name);
                                return compute.apply(in);
                            })).toFloatArray();
                    assertArrayEquals(byHand, out, 0f, spec + " call " + i);
                    assertFalse(java.util.Arrays.equals(full(i), out), spec + ": reuse must change the output");
                    for (String name : unet.partNames()) {
                        boolean skipped = reused.stream().anyMatch(r -> name.equals(r) || name.startsWith(r + "."));
                        assertEquals(!skipped, ran.contains(name), spec + " call " + i + ": " + name
                                + (skipped ? " must not run" : " must run through the caller's interceptor"));
                    }
                }
                assertArrayEquals(full(3), s.predict(unet, samples.get(3), timesteps.get(3), context, 3, CTX)
                        .toFloatArray(), 0f, spec + " second key step");
            }
        }
    }

    @Test
    void reusingEveryDeepLayerEqualsDeepCacheAtDepthThree() {
        // layer:deep keeps up_blocks.2's upsampler output, the very feature DeepCache keeps at depth 3
        // (everything but conv_in, down_blocks.0's layers and up_blocks.3 is deep there)
        try (DenoisingStrategy layers = strategy("layer:deep:interval=3", 4);
                DenoisingStrategy block = strategy("block:3:interval=3", 4)) {
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(block.predict(unet, samples.get(i), timesteps.get(i), context, i, CTX).toFloatArray(),
                        layers.predict(unet, samples.get(i), timesteps.get(i), context, i, CTX).toFloatArray(), 0f,
                        "call " + i);
            }
        }
    }

    @Test
    void batchesOfAnySizeWork() {
        NDArray context4 = TinyUNet.context(manager, 4, 5);
        NDArray a = TinyUNet.sample(manager, 4, 6);
        NDArray b = TinyUNet.sample(manager, 4, 7);
        try (DenoisingStrategy s = strategy("unit:attn1,attn2,ff:interval=2", 2)) {
            s.predict(unet, a, timesteps.get(0), context4, 0, CTX);
            NDArray out = s.predict(unet, b, timesteps.get(1), context4, 1, CTX);
            assertEquals(b.getShape(), out.getShape());
        }
    }

    @Test
    void cachesAreReplacedAndFreedSoLiveArraysDoNotGrow() {
        int before = manager.getManagedArrays().size();
        int layers = reused("layer:deep:interval=3").size();
        List<Integer> afterEachCycle = new ArrayList<>();
        DenoisingStrategy s = strategy("layer:deep:interval=3", 12);
        for (int i = 0; i < 12; i++) {
            s.predict(unet, samples.get(i % 6), timesteps.get(i % 6), context, i, CTX).close();
            if (i % 3 == 1) {
                afterEachCycle.add(manager.getManagedArrays().size());
            }
        }
        assertEquals(before + layers, afterEachCycle.get(0), "one output per reused layer cached");
        for (int n : afterEachCycle) {
            assertEquals(afterEachCycle.get(0), n, "live arrays per cycle: " + afterEachCycle);
        }
        s.close();
        assertEquals(before, manager.getManagedArrays().size(), "close frees the cache");
    }

    private static NDList copy(NDList list, NDManager owner) {
        NDList out = new NDList();
        for (NDArray a : list) {
            NDArray c = a.duplicate();
            c.attach(owner);
            out.add(c);
        }
        return out;
    }
}
