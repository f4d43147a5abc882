package io.github.sdm.unet.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.safetensors.SafetensorsWeights;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.core.testkit.Close;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.testkit.Tolerance;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.graph.GraphWeight;
import io.github.sdm.unet.graph.UNetCut;
import io.github.sdm.unet.graph.UNetGraph;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The UNet graph's variants on the tiny model's UNet: a caching variant returns the values a reuse variant feeds on,
 * and the reuse variant given them computes what the caching one computed, at every kind of point; the reuse variant
 * holds only the weights its output needs; each variant's session opens once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxUNetVariantsTest {
    private static final Tolerance SAME_NETWORK = Tolerance.ofPeakAtLeastOne(1e-5);
    private final Path folder = TestData.tinySd().resolve("unet");
    private final UNetConfig config = UNetConfig.read(folder.resolve("config.json"));
    private final SafetensorsWeights file = SafetensorsWeights.openComponent(folder);
    private final WeightSource weights = WeightSource.of(file);
    private final GraphSettings settings = GraphSettings.of(LoadOptions.defaults());
    private final OnnxGraph base = settings.open(UNetGraph.loaded(config, weights).graph(),
            folder.resolve("[unet graph]"));
    private final OnnxUNetVariants variants = new OnnxUNetVariants(config, weights, base, settings,
            folder.resolve("[unet graph]"));
    private final UNetVariantCalls calls = new UNetVariantCalls(settings, base);

    @AfterAll
    void close() {
        calls.close();
        variants.close();
        base.close();
        file.close();
    }

    private Map<String, FloatTensor> run(UNetCut cut, Map<String, FloatTensor> fed) {
        return calls.run(variants, cut, fed);
    }

    @Test
    void theUNetHasAPointForEveryLayerUnitAndDepth() {
        List<String> points = variants.points();
        assertEquals(12, variants.skipCount(), "conv_in, 4 x 2 down layers, 3 downsamplers");
        for (int k = 1; k <= variants.skipCount(); k++) {
            assertTrue(points.contains(UNetGraph.deepFeature(k)), "depth " + k);
        }
        assertTrue(points.containsAll(List.of("down_blocks.0.resnets.0", "down_blocks.0.attentions.1",
                "down_blocks.2.downsamplers.0", "mid_block.resnets.1", "mid_block.attentions.0",
                "up_blocks.1.upsamplers.0", "up_blocks.3.attentions.2",
                "up_blocks.3.attentions.2.transformer_blocks.0.attn1",
                "mid_block.attentions.0.transformer_blocks.0.attn2", "down_blocks.0.attentions.0.transformer_blocks.0.ff")),
                points.toString());
        assertEquals(points.size(), Set.copyOf(points).size(), "every point once");
    }

    /** At every kind of point: fed with what the caching variant exposed, the reuse variant computes the same call. */
    @Test
    void aReuseVariantFedTheCachedValuesComputesTheCachingCall() {
        FloatTensor whole = run(UNetCut.NONE, Map.of()).get("out_sample");
        for (String point : List.of(UNetGraph.deepFeature(1), UNetGraph.deepFeature(2), UNetGraph.deepFeature(12),
                "down_blocks.1.attentions.0", "down_blocks.2.downsamplers.0", "mid_block.resnets.1",
                "up_blocks.1.upsamplers.0",
                "up_blocks.3.attentions.2.transformer_blocks.0.attn1",
                "mid_block.attentions.0.transformer_blocks.0.attn2", "down_blocks.0.attentions.0.transformer_blocks.0.ff")) {
            UNetCut reusing = UNetCut.feeding(Set.of(point));
            assertEquals(Set.of(point), variants.fedInputs(reusing), point);
            UNetCut caching = UNetCut.exposing(variants.fedInputs(reusing));
            Map<String, FloatTensor> cached = run(caching, Map.of());
            Close.assertClose(point + ": caching pass against the whole graph", whole, cached.get("out_sample"),
                    SAME_NETWORK);
            Map<String, FloatTensor> fed = new HashMap<>(cached);
            fed.remove("out_sample");
            Close.assertClose(point + ": reuse pass on the cached value", whole, run(reusing, fed).get("out_sample"),
                    SAME_NETWORK);
        }
    }

    @Test
    void theReuseVariantAtDepthTwoHoldsOnlyTheShallowWeights() {
        Set<String> all = weightNames(UNetCut.NONE);
        Set<String> shallow = weightNames(UNetCut.feeding(Set.of(UNetGraph.deepFeature(2))));
        assertTrue(all.containsAll(shallow));
        // DeepCache at depth 2: conv_in, down_blocks.0's first layer, up_blocks.3's last two layers, the head
        for (String key : shallow) {
            assertTrue(key.startsWith("time_embedding.") || key.startsWith("conv_in.") || key.startsWith("conv_norm_out.")
                    || key.startsWith("conv_out.") || key.startsWith("down_blocks.0.resnets.0.")
                    || key.startsWith("down_blocks.0.attentions.0.") || key.startsWith("up_blocks.3.resnets.1.")
                    || key.startsWith("up_blocks.3.resnets.2.") || key.startsWith("up_blocks.3.attentions.1.")
                    || key.startsWith("up_blocks.3.attentions.2."), key);
        }
        assertTrue(shallow.contains("up_blocks.3.attentions.2.proj_out.weight"), "the shallow layers are kept");
        assertFalse(shallow.stream().anyMatch(k -> k.startsWith("mid_block.")), "the deep branch is pruned");
    }

    @Test
    void aFedPointOnlyAnotherFedPointReadsIsNotAnInput() {
        UNetCut both = UNetCut.feeding(Set.of("down_blocks.1.resnets.0", "down_blocks.1.attentions.0"));
        assertEquals(Set.of("down_blocks.1.attentions.0"), variants.fedInputs(both));
    }

    /** DeepCache's caching pass at any depth is the loaded graph: only its reuse passes open sessions. */
    @Test
    void eachVariantOpensOnceAndDeepFeaturesComeFromTheLoadedGraph() {
        assertSame(base, variants.graph(UNetCut.NONE));
        for (int k = 1; k <= variants.skipCount(); k++) {
            assertSame(base, variants.graph(UNetCut.exposing(Set.of(UNetGraph.deepFeature(k)))), "depth " + k);
        }
        UNetCut cut = UNetCut.feeding(Set.of(UNetGraph.deepFeature(3)));
        assertSame(variants.graph(cut), variants.graph(UNetCut.feeding(Set.of(UNetGraph.deepFeature(3)))));
        UNetCut layer = UNetCut.exposing(Set.of("mid_block.resnets.1"));
        assertNotSame(base, variants.graph(layer), "a layer's value is not an output of the loaded graph");
    }

    @Test
    void anUnknownPointIsNamed() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> variants.fedInputs(UNetCut.feeding(Set.of("down_blocks.9.resnets.0"))));
        assertTrue(e.getMessage().contains("down_blocks.9.resnets.0"), e.getMessage());
    }

    private Set<String> weightNames(UNetCut cut) {
        return UNetGraph.variant(config, weights, cut).graph().weights().stream().map(GraphWeight::name)
                .collect(Collectors.toSet());
    }
}
