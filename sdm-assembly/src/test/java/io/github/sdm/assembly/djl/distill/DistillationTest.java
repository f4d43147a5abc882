package io.github.sdm.assembly.djl.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.sdm.assembly.condconv.CondConvConfig;
import io.github.sdm.assembly.data.Captions;
import io.github.sdm.assembly.data.EmojiDataset;
import io.github.sdm.assembly.data.EmojiImage;
import io.github.sdm.assembly.data.SyntheticEmoji;
import io.github.sdm.assembly.distill.DistillationWeights;
import io.github.sdm.assembly.distill.FeaturePairs;
import io.github.sdm.assembly.distill.LossTerms;
import io.github.sdm.assembly.djl.condconv.CrossLayerInit;
import io.github.sdm.assembly.djl.train.ComponentFolders;
import io.github.sdm.assembly.djl.train.DiffusionBatches;
import io.github.sdm.assembly.djl.train.DiffusionStage;
import io.github.sdm.assembly.djl.train.LatentTable;
import io.github.sdm.assembly.djl.train.Trainer;
import io.github.sdm.assembly.students.RemovalSpec;
import io.github.sdm.assembly.students.StudentAssembler;
import io.github.sdm.assembly.students.StudentPresets;
import io.github.sdm.assembly.train.StepReport;
import io.github.sdm.assembly.train.TrainingListener;
import io.github.sdm.assembly.train.TrainingSettings;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.SafetensorsWeights;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.tokenizer.ClipTokenizer;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.djl.nn.Part;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Distillation of students assembled from the random tiny model, on the synthetic emoji folder. */
class DistillationTest {
    private static final Path TEACHER = TestData.tinySd();
    private static final int SIZE = 64;
    private static final long SEED = 3;

    @TempDir
    Path dir;
    private List<EmojiImage> training;

    @BeforeEach
    void data() throws IOException {
        training = EmojiDataset.load(SyntheticEmoji.write(dir.resolve("emoji"))).training();
    }

    private Path student(String name, RemovalSpec spec) {
        Path student = dir.resolve(name);
        StudentAssembler.assemble(TEACHER, spec, student);
        return student;
    }

    private Path preset(String preset) {
        return student(preset, StudentPresets.spec(preset, UNetConfig.read(TEACHER.resolve("unet/config.json"))));
    }

    @Test
    void distillationLowersTheOutputAndFeatureLossOfAFixedBatch() {
        Path student = preset("bk-small");
        try (NDManager manager = NDManager.newBaseManager();
                Networks networks = new Networks(student, manager)) {
            DistillationStage stage = networks.stage(DistillationWeights.BK_SDM);
            LossTerms before = termsOfStepZero(stage);
            assertTrue(before.output() > 0 && before.feature() > 0, before.toString());
            TrainingSettings settings = TrainingSettings.defaults(20, 4, 3e-3, SEED).withWarmupSteps(2);
            try (Trainer trainer = new Trainer(stage, settings, Map.of(), null)) {
                trainer.train(TrainingListener.NONE);
            }
            LossTerms after = termsOfStepZero(stage);
            double kdBefore = before.output() + before.feature();
            double kdAfter = after.output() + after.feature();
            assertTrue(kdAfter < 0.7 * kdBefore, "output + feature loss of step 0's draws: " + before + " before, "
                    + after + " after");
        }
    }

    /** A student that is its teacher (nothing removed) predicts what the teacher predicts, part for part. */
    @Test
    void theStudentThatIsItsTeacherHasNoOutputOrFeatureLoss() {
        Path student = student("identity", RemovalSpec.none());
        try (NDManager manager = NDManager.newBaseManager();
                Networks networks = new Networks(student, manager)) {
            DistillationStage stage = networks.stage(DistillationWeights.BK_SDM);
            LossTerms terms = termsOfStepZero(stage);
            assertEquals(0.0, terms.feature(), terms.toString());
            assertEquals(0.0, terms.output(), terms.toString());
            assertTrue(terms.task() > 0, terms.toString());
            assertEquals(9, networks.pairs().pairs().size(), "4 down blocks, the mid block, 4 up blocks");
        }
    }

    /**
     * An interrupted distillation, resumed from its checkpoint, takes bit-identical steps: the same losses and
     * the same exported student as the uninterrupted run. The exported folder loads through the normal inference
     * path and generates.
     */
    @Test
    void resumeGivesTheSameStepsAndTheModelLoadsAndGenerates() throws IOException {
        Path student = preset("bk-small");
        TrainingSettings settings = TrainingSettings.defaults(4, 3, 1e-3, SEED).withCheckpointEvery(2);
        Distillation distillation = new Distillation(TEACHER, student, DistillationWeights.BK_SDM, DType.F32);
        Path straight = dir.resolve("straight");
        List<Double> straightLosses = new ArrayList<>();
        distillation.run(training, straight, settings, false, recordLosses(straightLosses));

        Path interrupted = dir.resolve("interrupted");
        List<Double> resumedLosses = new ArrayList<>();
        TrainingListener stopAtFirstCheckpoint = new TrainingListener() {
            @Override
            public void onCheckpoint(long step, Path folder) {
                throw new Interrupted();
            }
        };
        assertThrows(Interrupted.class, () -> distillation.run(training, interrupted, settings, false,
                recordLosses(resumedLosses).andThen(stopAtFirstCheckpoint)));
        assertEquals(2, resumedLosses.size());
        SdmException again = assertThrows(SdmException.class,
                () -> distillation.run(training, interrupted, settings, false, TrainingListener.NONE));
        assertTrue(again.getMessage().contains("--resume"), again.getMessage());
        distillation.run(training, interrupted, settings, true, recordLosses(resumedLosses));
        assertEquals(straightLosses, resumedLosses, "every step's loss, bit for bit");
        assertEquals(5, Files.readAllLines(Distillation.termsLog(interrupted)).size(), "a header and 4 steps");
        Path model = Distillation.model(straight);
        assertSameWeights(Distillation.model(interrupted).resolve("unet"), model.resolve("unet"));

        // the teacher's other components, the student's config, trained weights
        assertArrayEquals(Files.readAllBytes(TEACHER.resolve("vae/diffusion_pytorch_model.safetensors")),
                Files.readAllBytes(model.resolve("vae/diffusion_pytorch_model.safetensors")));
        assertEquals(Files.readString(student.resolve("unet/config.json")),
                Files.readString(model.resolve("unet/config.json")));
        assertFalse(UNetConfig.read(model.resolve("unet/config.json")).hasMidBlock());
        try (StableDiffusion sd = StableDiffusion.load(model)) {
            GenerationResult result = sd.txt2img("a dog face").steps(3).seed(3).generate();
            assertEquals(SIZE, result.images().get(0).getWidth());
            for (float v : result.finalLatents().data()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    /** An ME-CondConv student distils (its routers train) and its folder loads with its conditional convolutions. */
    @Test
    void anMeCondConvStudentDistilsAndLoads() throws IOException {
        Path student = condConvStudent(preset("bk-small"), new CondConvConfig(2, List.of("up_blocks.1")));
        Distillation distillation = new Distillation(TEACHER, student, DistillationWeights.BK_SDM, DType.F32);
        Path out = dir.resolve("condconv-out");
        distillation.run(training, out, TrainingSettings.defaults(2, 2, 1e-3, SEED), false, TrainingListener.NONE);
        Path unet = Distillation.model(out).resolve("unet");
        JsonObject config = JsonParser.parseString(Files.readString(unet.resolve("config.json"))).getAsJsonObject();
        assertTrue(config.has(CondConvConfig.KEY), config.toString());
        try (SafetensorsWeights weights = SafetensorsWeights.openComponent(unet)) {
            float[] router = weights.floats("up_blocks.1.resnets.0.conv1.router.weight");
            float largest = 0;
            for (float v : router) {
                largest = Math.max(largest, Math.abs(v));
            }
            assertTrue(largest > 0, "the router starts at 0 and is trained");
        }
        try (StableDiffusion sd = StableDiffusion.load(Distillation.model(out))) {
            for (float v : sd.txt2img("red apple").steps(2).seed(1).generate().finalLatents().data()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void badLossWeightsAreNamed() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> new DistillationWeights(1, -1, 1));
        assertTrue(negative.getMessage().contains("output"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DistillationWeights(0, 0, 0));
    }

    /** {@code plain}'s model folder with the UNet's resnets under {@code condConv} made conditional (cross-layer init). */
    private Path condConvStudent(Path plain, CondConvConfig condConv) throws IOException {
        Path student = dir.resolve("condconv-student");
        Files.createDirectories(student);
        try (NDManager manager = NDManager.newBaseManager();
                UNet2DConditionModel unet = UNet2DConditionModel.load(plain.resolve("unet"), manager)) {
            Map<String, NDArray> weights = new LinkedHashMap<>(ComponentFolders.weightsOf(unet));
            for (Part part : unet.walk()) {
                if (condConv.isConditional(part.name())) {
                    weights.putAll(CrossLayerInit.weights(ComponentFolders.weightsOf(unet), part.name(), List.of(),
                            part.name(), condConv.experts(), manager));
                }
            }
            JsonObject config = JsonParser.parseString(Files.readString(plain.resolve("unet/config.json")))
                    .getAsJsonObject();
            config.add(CondConvConfig.KEY, condConv.toJson());
            ComponentFolders.write(student.resolve("unet"), ComponentFolders.UNET, config.toString(), weights, DType.F32);
        }
        return student;
    }

    /** The teacher's frozen networks and a student, loaded as {@link Distillation} loads them. */
    private final class Networks implements AutoCloseable {
        private final UNet2DConditionModel teacher;
        private final CLIPTextModel textEncoder;
        private final UNet2DConditionModel student;
        private final DiffusionBatches batches;
        private final FeaturePairs pairs;

        Networks(Path studentFolder, NDManager manager) {
            teacher = UNet2DConditionModel.load(TEACHER.resolve("unet"), manager);
            textEncoder = CLIPTextModel.load(TEACHER.resolve("text_encoder"), manager);
            student = UNet2DConditionModel.load(studentFolder.resolve("unet"), manager);
            LatentTable latents;
            try (AutoencoderKL vae = AutoencoderKL.load(TEACHER.resolve("vae"), manager)) {
                latents = LatentTable.encode(vae, EmojiDataset.pixels(training, SIZE), SIZE);
            }
            batches = new DiffusionBatches(latents, 0.18215f, training.stream().map(Captions::forms).toList(),
                    ClipTokenizer.load(TEACHER.resolve("tokenizer")), DiffusionStage.DEFAULT_DROP_PROBABILITY, SEED);
            pairs = FeaturePairs.of(teacher.config(), student.config());
        }

        DistillationStage stage(DistillationWeights weights) {
            return new DistillationStage(teacher, textEncoder, student, batches, weights, pairs);
        }

        FeaturePairs pairs() {
            return pairs;
        }

        @Override
        public void close() {
            teacher.close();
            textEncoder.close();
            student.close();
        }
    }

    /** The loss terms of step 0's draws, without changing the weights. */
    private static LossTerms termsOfStepZero(DistillationStage stage) {
        try (NDManager scratch = NDManager.newBaseManager()) {
            stage.forwardBackward(0, 4, scratch);
            stage.networks().networks().values().forEach(Network::zeroGradients);
            return stage.lastTerms();
        }
    }

    private static TrainingListener recordLosses(List<Double> losses) {
        return new TrainingListener() {
            @Override
            public void onStep(StepReport report) {
                losses.add(report.loss());
            }
        };
    }

    private static void assertSameWeights(Path expectedUnet, Path actualUnet) {
        try (SafetensorsWeights expected = SafetensorsWeights.openComponent(expectedUnet);
                SafetensorsWeights actual = SafetensorsWeights.openComponent(actualUnet)) {
            assertEquals(expected.names(), actual.names());
            for (String name : expected.names()) {
                assertArrayEquals(expected.floats(name), actual.floats(name), 0f, name);
            }
        }
    }

    private static final class Interrupted extends RuntimeException {
    }
}
