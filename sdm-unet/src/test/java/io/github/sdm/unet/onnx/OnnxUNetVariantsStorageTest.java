package io.github.sdm.unet.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.spi.NetworkRole;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.core.testkit.Close;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.testkit.Tolerance;
import io.github.sdm.unet.graph.ModelGraphs;
import io.github.sdm.unet.graph.UNetCut;
import io.github.sdm.unet.graph.UNetGraph;
import io.github.sdm.unet.lora.LoraFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The UNet's variants over a loaded graph whose layer weights are held in float16, bfloat16 or int8, or have a LoRA
 * merged, as the onnx backend loads them: each variant is built with the loaded graph's storage and reads every one of
 * its initializers (int8 values and scales, float16 values, LoRA merged) from the loaded session, so the caching
 * variant, and the reuse variant fed what it exposed, compute the loaded graph's prediction, while the configuration
 * itself moves that prediction ten times the tolerance or more. A variant built with another storage is refused, naming the
 * weight. Releasing the UNet closes the variants' sessions; they open again on the reloaded weights and compute the
 * same bits; the UNet refuses to close under an open variant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxUNetVariantsStorageTest {
    /** The bound {@code OnnxUNetVariantsTest} holds variants of the float32 graph to. */
    private static final Tolerance SAME_NETWORK = Tolerance.ofPeakAtLeastOne(1e-5);
    private static final ModelLocation MODEL = ModelLocation.folder(TestData.tinySd());
    private static final LoadOptions ONNX = LoadOptions.defaults().withBackend(new OnnxBackend().name());
    private LoadOptions withLora;
    /** The float32 graph's prediction without adapters. */
    private FloatTensor plain;

    @BeforeAll
    void reference() throws IOException {
        JsonObject c = LoraFixture.firstAdaptedCase();
        withLora = ONNX.withLora(LoraFixture.file(c), LoraFixture.multiplier(c));
        try (Loaded fp32 = new Loaded(ONNX)) {
            plain = fp32.calls.whole(fp32.variants);
        }
    }

    /** A built UNet graph opened as the onnx backend opens it, with its variants. */
    private static final class Loaded implements AutoCloseable {
        final GraphSettings settings;
        final OnnxGraph base;
        final OnnxUNetVariants variants;
        final UNetVariantCalls calls;

        Loaded(LoadOptions options) {
            settings = GraphSettings.forBuiltGraphs(options);
            Path label = MODEL.componentFolder("unet").resolve("[unet graph]");
            try (ModelGraphs built = ModelGraphs.build(MODEL, options.weightPrecision(), options.loras())) {
                base = settings.open(built.unet(), label);
                variants = new OnnxUNetVariants(built.unetConfig(), built.unetWeights(), base, settings, label);
            }
            calls = new UNetVariantCalls(settings, base);
        }

        @Override
        public void close() {
            calls.close();
            variants.close();
            base.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> variantsComputeTheLoadedGraphsPredictionWithItsWeights() {
        return Stream.of(ONNX.withWeightPrecision(Precision.FP16), ONNX.withWeightPrecision(Precision.BF16),
                ONNX.withWeightPrecision(Precision.INT8), withLora, withLora.withWeightPrecision(Precision.INT8))
                .map(options -> DynamicTest.dynamicTest(options.weightPrecision() + " weights, "
                        + options.loras().size() + " LoRA", () -> assertVariantsComputeTheLoadedGraph(options)));
    }

    private void assertVariantsComputeTheLoadedGraph(LoadOptions options) {
        try (Loaded loaded = new Loaded(options)) {
            FloatTensor whole = loaded.calls.whole(loaded.variants);
            double effect = maxDifference(plain, whole);
            // float16 moves it least: 1.6e-3, about 50 times the bound
            assertTrue(effect > 10 * SAME_NETWORK.bound(whole.data()), "the configuration moves the prediction by "
                    + effect + " only: the comparison would not bite");
            for (String point : List.of(UNetGraph.deepFeature(2), UNetGraph.deepFeature(loaded.variants.skipCount()),
                    "mid_block.attentions.0.transformer_blocks.0.attn2")) {
                UNetCut reusing = UNetCut.feeding(Set.of(point));
                Map<String, FloatTensor> cached = loaded.calls.run(loaded.variants,
                        UNetCut.exposing(loaded.variants.fedInputs(reusing)), Map.of());
                Close.assertClose(point + ": caching variant", whole, cached.get("out_sample"), SAME_NETWORK);
                Map<String, FloatTensor> fed = new HashMap<>(cached);
                fed.remove("out_sample");
                Close.assertClose(point + ": reuse variant on the cached values", whole,
                        loaded.calls.run(loaded.variants, reusing, fed).get("out_sample"), SAME_NETWORK);
            }
        }
    }

    @Test
    void aVariantBuiltWithAnotherStorageIsRefusedNamingTheWeight() {
        try (Loaded int8 = new Loaded(ONNX.withWeightPrecision(Precision.INT8));
                ModelGraphs built = ModelGraphs.build(MODEL)) {
            UNetCut cut = UNetCut.feeding(Set.of(UNetGraph.deepFeature(2)));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> int8.settings.openVariant(
                    UNetGraph.variant(built.unetConfig(), built.unetWeights(), Precision.FP32, cut).graph(), int8.base,
                    MODEL.componentFolder("unet").resolve("[variant]")));
            assertTrue(e.getMessage().contains("INT8") && e.getMessage().contains(".weight'")
                    && e.getMessage().contains("weight storage"), e.getMessage());
        }
    }

    /** Through the backend's networks, as stage residency drives them. */
    @Test
    void releasingTheUNetClosesItsVariantsWhichOpenAgainOnTheReloadedWeights() {
        LoadOptions options = withLora.withWeightPrecision(Precision.INT8);
        try (OnnxNetworks networks = (OnnxNetworks) new OnnxBackend().load(MODEL, options)) {
            OnnxUNetVariants variants = networks.variants();
            OnnxGraph unet = networks.graphs(NetworkRole.UNET).get(0);
            UNetCut reusing = UNetCut.feeding(Set.of(UNetGraph.deepFeature(2)));
            UNetCut caching = UNetCut.exposing(variants.fedInputs(reusing));
            try (UNetVariantCalls calls = new UNetVariantCalls(GraphSettings.forBuiltGraphs(options), unet)) {
                Map<String, FloatTensor> cachedBefore = calls.run(variants, caching, Map.of());
                Map<String, FloatTensor> fed = new HashMap<>(cachedBefore);
                fed.remove("out_sample");
                FloatTensor reusedBefore = calls.run(variants, reusing, fed).get("out_sample");
                int open = variants.openSessions();
                assertTrue(open > 0, "the reuse variant has a session of its own");

                IllegalStateException lent = assertThrows(IllegalStateException.class, unet::close);
                assertTrue(lent.getMessage().contains("lends its weights"), lent.getMessage());

                networks.release(NetworkRole.UNET);
                assertEquals(0, variants.openSessions(), "closed with the UNet");
                assertFalse(unet.isLoaded());
                IllegalStateException released = assertThrows(IllegalStateException.class,
                        () -> variants.graph(reusing));
                assertTrue(released.getMessage().contains("was released"), released.getMessage());

                networks.load(NetworkRole.UNET);
                Map<String, FloatTensor> cachedAfter = calls.run(variants, caching, Map.of());
                for (String name : cachedBefore.keySet()) {
                    assertArrayEquals(cachedBefore.get(name).data(), cachedAfter.get(name).data(), name);
                }
                assertArrayEquals(reusedBefore.data(), calls.run(variants, reusing, fed).get("out_sample").data());
                assertEquals(2 * open, variants.opens(), "each variant opened once per load");
            }
        }
    }

    private static double maxDifference(FloatTensor a, FloatTensor b) {
        double max = 0;
        for (int i = 0; i < a.data().length; i++) {
            max = Math.max(max, Math.abs(a.data()[i] - b.data()[i]));
        }
        return max;
    }
}
