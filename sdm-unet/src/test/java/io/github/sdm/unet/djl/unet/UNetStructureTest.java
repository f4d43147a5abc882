package io.github.sdm.unet.djl.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.nn.Attention;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.InputShapeException;
import io.github.sdm.unet.djl.nn.Part;
import io.github.sdm.unet.djl.nn.PartInterceptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Parts by name, interception, running parts alone, the shallow/deep split and memory hygiene. */
class UNetStructureTest extends UNetFixtureCalls {
    @Test
    void partsAreNamedByCheckpointKeyPrefix() {
        List<String> names = unet.partNames();
        for (String expected : List.of("time_embedding", "conv_in", "down_blocks.0.resnets.1",
                "down_blocks.1.attentions.0.transformer_blocks.0.attn2", "down_blocks.2.downsamplers.0",
                "mid_block.attentions.0", "up_blocks.1.upsamplers.0", "up_blocks.3.attentions.2.proj_out",
                "up_blocks.3.attentions.2.transformer_blocks.0.ff.net.0.proj", "conv_norm_out", "conv_out")) {
            assertTrue(names.contains(expected), expected);
        }
        Part attn2 = unet.part("down_blocks.1.attentions.0.transformer_blocks.0.attn2");
        assertTrue(attn2 instanceof Attention);
        assertTrue(attn2.allParameters().containsKey("down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k.weight"));
        assertThrows(IllegalArgumentException.class, () -> unet.part("down_blocks.9"));
        // the counts follow from the fixture's config
        UNetConfig config = unet.config();
        int last = config.blockCount() - 1;
        assertEquals(config.layersPerBlock().get(0) + 1, unet.downBlocks().get(0).outputCount(),
                "layers + downsampler");
        assertEquals(0, unet.downBlocks().get(last).downsamplers().size());
        assertEquals(config.upBlockTypes().get(0).equals(UNetConfig.UP) ? 0 : config.layersPerBlock().get(last) + 1,
                unet.upBlocks().get(0).attentions().size());
        assertEquals(config.layersPerBlock().get(last) + 1, unet.upBlocks().get(0).layerCount());
        int downLayers = config.layersPerBlock().stream().mapToInt(Integer::intValue).sum();
        assertEquals(1 + downLayers + last, unet.skipCount(), "conv_in, every down layer, every downsampler");
    }

    @Test
    void interceptorSeesEveryBlockLayerAndUnit() {
        Set<String> seen = new LinkedHashSet<>();
        unet.forward(sample, timestep, context, ForwardContext.of((name, in, compute) -> {
            seen.add(name);
            return compute.apply(in);
        }));
        Set<String> all = new LinkedHashSet<>(unet.partNames());
        all.removeAll(seen);
        assertTrue(all.isEmpty(), "parts never consulted: " + all);
    }

    @Test
    void runningABlockAloneGivesTheSameOutputAsInsideTheFullForward() {
        List<String> names = List.of("down_blocks.1", "mid_block", "up_blocks.2",
                "up_blocks.2.attentions.1", "down_blocks.0.resnets.1",
                "down_blocks.1.attentions.0.transformer_blocks.0.attn2");
        Map<String, NDList> inputs = new HashMap<>();
        Map<String, NDList> outputs = new HashMap<>();
        try (NDManager keep = manager.newSubManager()) {
            unet.forward(sample, timestep, context, ForwardContext.of((name, in, compute) -> {
                NDList out = compute.apply(in);
                if (names.contains(name)) {
                    inputs.put(name, copy(in, keep));
                    outputs.put(name, copy(out, keep));
                }
                return out;
            }));
            for (String name : names) {
                NDList alone = unet.part(name).forward(ForwardContext.DEFAULT, inputs.get(name));
                assertEquals(outputs.get(name).size(), alone.size(), name);
                for (int i = 0; i < alone.size(); i++) {
                    assertArrayEquals(outputs.get(name).get(i).toFloatArray(), alone.get(i).toFloatArray(), 0f,
                            name + " output " + i);
                }
            }
        }
    }

    @Test
    void interceptorCanReplaceAPart() {
        NDArray plain = unet.forward(sample, timestep, context, ForwardContext.DEFAULT);
        NDArray zeroedMid = unet.forward(sample, timestep, context, ForwardContext.of((name, in, compute) ->
                name.equals("mid_block") ? new NDList(compute.apply(in).head().zerosLike()) : compute.apply(in)));
        assertFalse(plain.allClose(zeroedMid, 1e-3, 1e-3, false), "replacing mid_block changes the output");
        NDArray identity = unet.forward(sample, timestep, context, ForwardContext.of(PartInterceptor.NONE));
        assertArrayEquals(plain.toFloatArray(), identity.toFloatArray(), 0f);
    }

    /** A hook at depth {@code k} that computes the deep branch and keeps a copy of its feature in {@code kept[0]}. */
    private DeepBranchHook capturing(int k, NDManager keep, NDArray[] kept) {
        return new DeepBranchHook() {
            @Override
            public int depth(UNet2DConditionModel u) {
                return k;
            }

            @Override
            public NDArray deepFeature(Supplier<NDArray> computeDeepBranch) {
                NDArray feature = computeDeepBranch.get();
                kept[0] = feature.duplicate();
                kept[0].attach(keep);
                return feature;
            }
        };
    }

    /** A hook at depth {@code k} that never runs the deep branch and hands out {@code feature} instead. */
    private DeepBranchHook reusing(int k, NDArray feature) {
        return new DeepBranchHook() {
            @Override
            public int depth(UNet2DConditionModel u) {
                return k;
            }

            @Override
            public NDArray deepFeature(Supplier<NDArray> computeDeepBranch) {
                return feature;
            }
        };
    }

    @Test
    void shallowPassOnTheCachedDeepFeatureReproducesTheFullPassAtEveryDepth() {
        float[] full = unet.forward(sample, timestep, context, ForwardContext.DEFAULT).toFloatArray();
        try (NDManager keep = manager.newSubManager()) {
            NDArray[] kept = new NDArray[1];
            for (int k = 1; k <= unet.skipCount(); k++) {
                NDArray computed = unet.forward(sample, timestep, context, ForwardContext.DEFAULT,
                        capturing(k, keep, kept));
                assertArrayEquals(full, computed.toFloatArray(), 0f, "caching pass, depth " + k);
                NDArray shallow = unet.forward(sample, timestep, context, ForwardContext.DEFAULT, reusing(k, kept[0]));
                assertArrayEquals(full, shallow.toFloatArray(), 0f, "shallow pass, depth " + k);
                assertEquals(keep, kept[0].getManager(), "the reused feature goes back to its owner");
            }
            // the shallow pass really skips the deep part: at depth 2 no mid_block, no down_blocks.1
            Set<String> seen = new LinkedHashSet<>();
            unet.forward(sample, timestep, context, ForwardContext.DEFAULT, capturing(2, keep, kept));
            // the output of up_blocks.3 layer 0, as the full pass computes it
            assertEquals(outputShape("up_blocks.3.resnets.0"), kept[0].getShape());
            unet.forward(sample, timestep, context, ForwardContext.of((name, in, c) -> {
                seen.add(name);
                return c.apply(in);
            }), reusing(2, kept[0]));
            assertTrue(seen.contains("down_blocks.0.resnets.0") && seen.contains("up_blocks.3.resnets.2")
                    && seen.contains("up_blocks.3.resnets.1"), seen.toString());
            for (String deep : List.of("down_blocks.0.resnets.1", "down_blocks.1", "down_blocks.1.resnets.0",
                    "mid_block", "mid_block.resnets.0", "up_blocks.3.resnets.0", "up_blocks.2",
                    "up_blocks.2.upsamplers.0")) {
                assertFalse(seen.contains(deep), deep + " must be skipped");
            }
        }
    }

    @Test
    void aDepthOutsideTheSkipsIsRejected() {
        NDArray feature = manager.zeros(new Shape(1));
        for (int k : new int[] {0, unet.skipCount() + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> unet.forward(sample, timestep, context, ForwardContext.DEFAULT, reusing(k, feature)));
            assertTrue(e.getMessage().contains("1.." + unet.skipCount()), e.getMessage());
        }
    }

    @Test
    void fiftyCallsDoNotGrowTheNumberOfLiveArrays() {
        try (NDManager callManager = manager.newSubManager()) {
            NDArray s = sample.duplicate();
            s.attach(callManager);
            unet.forward(s, timestep, context, ForwardContext.DEFAULT).close(); // warm-up: norm constants
            int before = manager.getManagedArrays().size();
            for (int i = 0; i < 50; i++) {
                unet.forward(s, timestep, context, ForwardContext.DEFAULT).close();
            }
            int after = manager.getManagedArrays().size();
            assertEquals(before, after, "live arrays after 50 UNet calls");
            int withOutputs = manager.getManagedArrays().size();
            List<NDArray> kept = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                kept.add(unet.forward(s, timestep, context, ForwardContext.DEFAULT));
            }
            assertEquals(withOutputs + 3, manager.getManagedArrays().size(), "only the outputs stay");
            assertNotNull(kept.get(0).getManager());
        }
    }

    @Test
    void badInputsAreRejectedWithTheirShape() {
        // the fixture's own shapes with one dimension wrong
        long batch = sample.getShape().get(0);
        long height = sample.getShape().get(2);
        long width = sample.getShape().get(3);
        InputShapeException e = assertThrows(InputShapeException.class, () -> unet.forward(
                manager.zeros(new Shape(batch, 3, height, width)), timestep, context, ForwardContext.DEFAULT));
        assertTrue(e.getMessage().contains("[B, 4, H, W]")
                && e.getMessage().contains("(" + batch + ", 3, " + height + ", " + width + ")"), e.getMessage());
        e = assertThrows(InputShapeException.class, () -> unet.forward(sample, timestep,
                manager.zeros(new Shape(batch, context.getShape().get(1), context.getShape().get(2) / 2)),
                ForwardContext.DEFAULT));
        assertTrue(e.getMessage().contains("encoder_hidden_states"), e.getMessage());
        e = assertThrows(InputShapeException.class,
                () -> unet.forward(sample, manager.zeros(new Shape(batch + 1)), context, ForwardContext.DEFAULT));
        assertTrue(e.getMessage().contains("timestep"), e.getMessage());
    }

    @Test
    void scalarTimestepEqualsTheSameTimestepPerSample() {
        NDArray scalar = manager.create(417.5f);
        NDArray perSample = manager.full(new Shape(sample.getShape().get(0)), 417.5f);
        assertArrayEquals(unet.forward(sample, perSample, context, ForwardContext.DEFAULT).toFloatArray(),
                unet.forward(sample, scalar, context, ForwardContext.DEFAULT).toFloatArray(), 0f);
    }

    /** The shape of {@code part}'s output in a full pass on the fixture's inputs. */
    private Shape outputShape(String part) {
        List<Shape> shapes = new ArrayList<>();
        unet.forward(sample, timestep, context, ForwardContext.of((name, in, compute) -> {
            NDList out = compute.apply(in);
            if (name.equals(part)) {
                shapes.add(out.head().getShape());
            }
            return out;
        })).close();
        assertEquals(1, shapes.size(), part + " runs once per pass");
        return shapes.get(0);
    }

    private NDList copy(NDList list, NDManager owner) {
        NDList out = new NDList();
        for (NDArray a : list) {
            NDArray c = a.duplicate();
            c.attach(owner);
            out.add(c);
        }
        return out;
    }
}
