package io.github.sdm.assembly.djl.condconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.github.sdm.assembly.condconv.CondConvConfig;
import io.github.sdm.assembly.djl.train.ComponentFolders;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Parameter;
import io.github.sdm.unet.djl.nn.Part;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A UNet whose chosen resnets have ME-CondConv convolutions, through the config and the normal load path. */
class CondConvUNetTest {
    private static final Path TEACHER = TestData.tinySd();
    /** conv1 and conv2 of one down resnet (16 to 32 channels, then 32 to 32) and of a whole up block. */
    private static final CondConvConfig CONDCONV = new CondConvConfig(3, List.of("down_blocks.1.resnets.0", "up_blocks.1"));

    @TempDir
    Path dir;
    private NDManager manager;
    private UNet2DConditionModel teacher;
    private NDArray sample;
    private NDArray timestep;
    private NDArray context;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
        teacher = UNet2DConditionModel.load(TEACHER.resolve("unet"), manager);
        manager.getEngine().setRandomSeed(7);
        sample = manager.randomNormal(new Shape(2, 4, 8, 8));
        timestep = manager.create(new float[] {500f, 500f});
        context = manager.randomNormal(new Shape(2, 77, 32));
    }

    @AfterEach
    void tearDown() {
        teacher.close();
        manager.close();
    }

    private static String condConvConfigJson(Path teacherUnet, JsonObject field) throws IOException {
        JsonObject config = new Gson().fromJson(Files.readString(teacherUnet.resolve("config.json")), JsonObject.class);
        config.add(CondConvConfig.KEY, field);
        return config.toString();
    }

    /**
     * The teacher's weights with each conditional convolution initialised across layers: its neighbours are
     * the same convolution of the block's other resnets, where the shapes agree.
     */
    private Map<String, NDArray> studentWeights() {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        teacher.allParameters().forEach((key, p) -> weights.put(key, p.value()));
        Map<String, NDArray> condConv = new LinkedHashMap<>();
        for (Part part : teacher.walk()) {
            if (CONDCONV.isConditional(part.name())) {
                condConv.putAll(CrossLayerInit.weights(weights, part.name(), neighbours(part.name(), weights),
                        part.name(), CONDCONV.experts(), manager));
            }
        }
        weights.putAll(condConv);
        return weights;
    }

    private static List<String> neighbours(String conv, Map<String, NDArray> weights) {
        // <block>.resnets.<i>.<conv>
        String[] parts = conv.split("\\.");
        String block = parts[0] + "." + parts[1];
        List<String> out = new ArrayList<>();
        for (int j = 0; weights.containsKey(block + ".resnets." + j + "." + parts[4] + ".weight"); j++) {
            String other = block + ".resnets." + j + "." + parts[4];
            if (!other.equals(conv) && weights.get(other + ".weight").getShape().equals(weights.get(conv + ".weight").getShape())
                    && out.size() < CONDCONV.experts() - 1) {
                out.add(other);
            }
        }
        return out;
    }

    /** The tiny model with its UNet replaced by the ME-CondConv student. */
    private Path studentModel() throws IOException {
        Path model = dir.resolve("student");
        try (Stream<Path> files = Files.walk(TEACHER)) {
            for (Path from : files.toList()) {
                Path rel = TEACHER.relativize(from);
                if (rel.startsWith("unet")) {
                    continue;
                }
                Path to = model.resolve(rel.toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        ComponentFolders.write(model.resolve("unet"), ComponentFolders.UNET,
                condConvConfigJson(TEACHER.resolve("unet"), CONDCONV.toJson()), studentWeights(), DType.F32);
        return model;
    }

    @Test
    void aCondConvUNetLoadsByItsConfigStartsAsItsTeacherAndRoundTripsThroughItsFolder() throws IOException {
        Path model = studentModel();
        NDArray expected = teacher.forward(sample, timestep, context, ForwardContext.DEFAULT);
        try (UNet2DConditionModel student = UNet2DConditionModel.load(model.resolve("unet"), manager)) {
            List<String> conditional = student.walk().stream().filter(p -> p instanceof CondConv2d).map(Part::name).toList();
            assertEquals(List.of("down_blocks.1.resnets.0.conv1", "down_blocks.1.resnets.0.conv2",
                    "up_blocks.1.resnets.0.conv1", "up_blocks.1.resnets.0.conv2", "up_blocks.1.resnets.1.conv1",
                    "up_blocks.1.resnets.1.conv2", "up_blocks.1.resnets.2.conv1", "up_blocks.1.resnets.2.conv2"),
                    conditional);
            assertTrue(student.allParameters().containsKey("up_blocks.1.resnets.2.conv2.experts.weight"));
            // cross-layer initialisation: the mixture is the kept convolution, so the student computes the teacher
            NDArray out = student.forward(sample, timestep, context, ForwardContext.DEFAULT);
            assertArrayEquals(expected.toFloatArray(), out.toFloatArray(), 1e-4f);

            // saved and loaded again: the same parameters, bit for bit, and the same output
            Path again = dir.resolve("again");
            Map<String, NDArray> saved = new LinkedHashMap<>();
            student.allParameters().forEach((key, p) -> saved.put(key, p.value()));
            ComponentFolders.write(again, ComponentFolders.UNET,
                    Files.readString(model.resolve("unet/config.json")), saved, DType.F32);
            try (UNet2DConditionModel reloaded = UNet2DConditionModel.load(again, manager)) {
                for (Map.Entry<String, Parameter> e : student.allParameters().entrySet()) {
                    assertArrayEquals(e.getValue().value().toFloatArray(),
                            reloaded.allParameters().get(e.getKey()).value().toFloatArray(), 0f, e.getKey());
                }
                assertArrayEquals(out.toFloatArray(),
                        reloaded.forward(sample, timestep, context, ForwardContext.DEFAULT).toFloatArray(), 0f);
            }
        }
    }

    @Test
    void aCondConvModelGeneratesThroughThePublicApi() throws IOException {
        Path model = studentModel();
        GenerationResult teacherResult;
        try (StableDiffusion sd = StableDiffusion.load(TEACHER)) {
            teacherResult = sd.txt2img("a red apple").steps(3).seed(3).generate();
        }
        try (StableDiffusion sd = StableDiffusion.load(model)) {
            GenerationResult result = sd.txt2img("a red apple").steps(3).seed(3).generate();
            assertEquals(teacherResult.images().get(0).getWidth(), result.images().get(0).getWidth());
            float[] latents = result.finalLatents().data();
            float[] teacherLatents = teacherResult.finalLatents().data();
            for (int i = 0; i < latents.length; i++) {
                assertTrue(Float.isFinite(latents[i]));
                // the student starts as its teacher
                assertEquals(teacherLatents[i], latents[i], 1e-3f);
            }
        }
    }

    /** Held as int8, or computed in float16: the conditional convolutions convert their weights per call. */
    @Test
    void aCondConvModelGeneratesInReducedPrecision() throws IOException {
        Path model = studentModel();
        float[] teacherLatents;
        try (StableDiffusion sd = StableDiffusion.load(TEACHER)) {
            teacherLatents = sd.txt2img("a red apple").steps(3).seed(3).generate().finalLatents().data();
        }
        double peak = 1;
        for (float v : teacherLatents) {
            peak = Math.max(peak, Math.abs(v));
        }
        for (Precision[] variant : new Precision[][] {{Precision.INT8, Precision.FP32}, {Precision.FP16, Precision.FP16}}) {
            try (StableDiffusion sd = StableDiffusion.load(model, LoadOptions.defaults().withWeightPrecision(variant[0])
                    .withComputePrecision(variant[1]))) {
                float[] latents = sd.txt2img("a red apple").steps(3).seed(3).generate().finalLatents().data();
                for (int i = 0; i < latents.length; i++) {
                    // the bounds of the precision parity tests (int8 weights: 3e-2 of the peak)
                    assertEquals(teacherLatents[i], latents[i], 3e-2 * peak, variant[0] + "/" + variant[1] + " at " + i);
                }
            }
        }
    }

    @Test
    void aBadCondConvFieldIsAnErrorNamingIt() throws IOException {
        Path unet = dir.resolve("bad-unet");
        Files.createDirectories(unet);
        JsonObject field = CONDCONV.toJson();
        field.addProperty("experts", 1);
        Files.writeString(unet.resolve("config.json"), condConvConfigJson(TEACHER.resolve("unet"), field));
        Files.copy(TEACHER.resolve("unet").resolve(UNet2DConditionModel.WEIGHTS_FILE),
                unet.resolve(UNet2DConditionModel.WEIGHTS_FILE));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> UNet2DConditionModel.load(unet, manager));
        assertTrue(e.getMessage().contains("sdm_condconv") && e.getMessage().contains("experts"), e.getMessage());
    }
}
