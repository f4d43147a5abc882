package io.github.sdm.unet.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.weights.WeightSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The graph builder's checks on the checkpoint and what it hands on, without an engine. */
class GraphBuilderTest {
    private static final Path UNET = TestData.fixture("unet-sd15");

    @Test
    void aMissingWeightNamesTheCheckpointTheKeyAndTheGraph() {
        try (SafetensorsFile file = SafetensorsFile.open(UNET.resolve("diffusion_pytorch_model.safetensors"))) {
            WeightSource without = WeightSource.of(file).renamed("without conv_in.bias",
                    k -> k.equals("conv_in.bias") ? null : k);
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> UNetGraph.build(UNetConfig.read(UNET.resolve("config.json")), without));
            assertTrue(e.getMessage().contains("diffusion_pytorch_model.safetensors") && e.getMessage().contains(
                    "'conv_in.bias'") && e.getMessage().contains("unet graph"), e.getMessage());
        }
    }

    @Test
    void aMisshapenWeightNamesBothShapes() {
        try (SafetensorsFile file = SafetensorsFile.open(UNET.resolve("diffusion_pytorch_model.safetensors"))) {
            GraphBuilder g = new GraphBuilder("probe", WeightSource.of(file));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> g.weight("conv_in.bias", 17));
            assertTrue(e.getMessage().contains("'conv_in.bias' is F32[16]") && e.getMessage().contains("[17]"),
                    e.getMessage());
        }
    }

    @Test
    void everyCheckpointWeightIsUsedOnceAndKeepsItsKey() {
        try (SafetensorsFile file = SafetensorsFile.open(UNET.resolve("diffusion_pytorch_model.safetensors"))) {
            BuiltGraph graph = UNetGraph.build(UNetConfig.read(UNET.resolve("config.json")), WeightSource.of(file));
            Set<String> used = new java.util.HashSet<>();
            graph.weights().forEach(w -> {
                assertEquals(w.key(), w.name());
                assertTrue(used.add(w.key()), "twice: " + w.key());
            });
            // the graph reads every tensor of the checkpoint, as the DJL network does
            assertEquals(file.names(), used);
        }
    }

    /** What no output depends on is left out: nodes, the weights they read, optional inputs; required inputs stay. */
    @Test
    void buildPrunesWhatNoOutputNeeds() {
        try (SafetensorsFile file = SafetensorsFile.open(UNET.resolve("diffusion_pytorch_model.safetensors"))) {
            GraphBuilder g = new GraphBuilder("probe", WeightSource.of(file));
            String x = g.input("x", ElementType.FLOAT, "n", 16L);
            String unusedRequired = g.input("unused", ElementType.FLOAT, "n");
            String fed = g.optionalInput("fed", ElementType.FLOAT, "n", 16L);
            String dead = g.optionalInput("dead", ElementType.FLOAT, "n", 16L);
            g.node("Add", List.of(g.node("Mul", List.of(dead, g.weight("conv_out.bias", 4))), x));
            g.output("y", g.node("Add", List.of(fed, g.node("Add", List.of(x,
                    g.weight("conv_in.bias", 16))))), "n", 16L);
            BuiltGraph graph = g.build("probe");
            assertEquals(List.of("conv_in.bias"), graph.weights().stream().map(GraphWeight::name).toList());
            assertEquals(List.of(x, unusedRequired, fed), g.keptInputs());
        }
    }

    @Test
    void aGroupNormWeightIsHandedOnInTheShapeTheGraphUses() {
        try (SafetensorsFile file = SafetensorsFile.open(UNET.resolve("diffusion_pytorch_model.safetensors"))) {
            BuiltGraph graph = UNetGraph.build(UNetConfig.read(UNET.resolve("config.json")), WeightSource.of(file));
            GraphWeight norm = graph.weights().stream().filter(w -> w.key().equals("conv_norm_out.weight")).findFirst()
                    .orElseThrow();
            assertArrayEquals(new long[] {16, 1, 1}, norm.dims());
            assertEquals(16 * Float.BYTES, norm.float32Bytes().remaining());
        }
    }

    @Test
    void aTinyVaeFolderIsBuiltButNotFromASingleFileCheckpoint(@TempDir Path configs) throws IOException {
        assertNull(ModelGraphs.problem(ModelLocation.folder(TestData.tinySd())
                .withComponent("vae", TestData.fixture("taesd"))));
        for (String name : new String[] {"model_index.json", "text_encoder/config.json", "unet/config.json"}) {
            Files.createDirectories(configs.resolve(name).getParent());
            Files.copy(TestData.tinySd().resolve(name), configs.resolve(name));
        }
        Files.createDirectories(configs.resolve("vae"));
        Files.copy(TestData.fixture("taesd/config.json"), configs.resolve("vae/config.json"));
        String problem = ModelGraphs.problem(ModelLocation.singleFile(
                TestData.fixture("ldm-single-file/tiny-sd15.safetensors"), configs));
        assertTrue(problem != null && problem.contains("TAESD") && problem.contains("holds an AutoencoderKL"), problem);
    }
}
