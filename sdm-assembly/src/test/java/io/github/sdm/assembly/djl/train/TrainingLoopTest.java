package io.github.sdm.assembly.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.sdm.assembly.data.Captions;
import io.github.sdm.assembly.data.EmojiDataset;
import io.github.sdm.assembly.data.EmojiImage;
import io.github.sdm.assembly.data.EpochOrder;
import io.github.sdm.assembly.data.SyntheticEmoji;
import io.github.sdm.assembly.train.ModelConfigs;
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
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.nn.GradMode;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop on tiny networks and the synthetic emoji folder. */
class TrainingLoopTest {
    private static final ModelConfigs TINY = TinyModel.configs();
    private static final int SIZE = 16;

    @TempDir
    Path dir;
    private List<EmojiImage> training;
    private List<byte[]> pixels;

    @BeforeEach
    void data() throws IOException {
        training = EmojiDataset.load(SyntheticEmoji.write(dir.resolve("emoji"))).training();
        pixels = EmojiDataset.pixels(training, SIZE);
    }

    @Test
    void vaeStepsOnATinyBatchLowerTheLoss() {
        try (NDManager manager = NDManager.newBaseManager();
                AutoencoderKL vae = AutoencoderKL.random(TINY.vaeConfig(), 1, manager)) {
            VaeStage stage = new VaeStage(vae, pixels.subList(0, 4), SIZE, VaeStage.DEFAULT_KL_WEIGHT, 7);
            double before = lossOfStepZero(stage);
            TrainingSettings settings = TrainingSettings.defaults(40, 4, 1e-2, 7).withWarmupSteps(2);
            try (Trainer trainer = new Trainer(stage, settings, Map.of(), null)) {
                trainer.train(TrainingListener.NONE);
            }
            double after = lossOfStepZero(stage);
            assertTrue(after < 0.5 * before, "loss of the same draws: " + before + " before, " + after + " after");
        }
    }

    @Test
    void diffusionStepsOnATinyBatchLowerTheLoss() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DiffusionStage stage = diffusionStage(manager, 4, 11);
            double before = lossOfStepZero(stage);
            TrainingSettings settings = TrainingSettings.defaults(40, 4, 1e-2, 11).withWarmupSteps(2);
            try (Trainer trainer = new Trainer(stage, settings, Map.of(), null)) {
                trainer.train(TrainingListener.NONE);
            }
            double after = lossOfStepZero(stage);
            assertTrue(after < 0.8 * before, "loss of the same draws: " + before + " before, " + after + " after");
        }
    }

    /**
     * An interrupted run, resumed from its checkpoint, takes bit-identical steps: the same losses and, at the
     * end, the same weights and EMA as the uninterrupted run (float32 weights and moments are stored exactly,
     * and every draw follows from seed and step).
     */
    @Test
    void saveLoadAndResumeGiveTheSameNextSteps() {
        TrainingSettings settings = TrainingSettings.defaults(4, 3, 3e-3, 5).withCheckpointEvery(2);
        Map<String, String> configs = Map.of(ComponentFolders.UNET, TINY.unet(), ComponentFolders.TEXT_ENCODER,
                TINY.textEncoder());
        List<Double> straight = new ArrayList<>();
        Map<String, float[]> straightWeights;
        Map<String, float[]> straightEma;
        try (NDManager manager = NDManager.newBaseManager()) {
            DiffusionStage stage = diffusionStage(manager, pixels.size(), 5);
            try (Trainer trainer = new Trainer(stage, settings, configs, dir.resolve("straight"))) {
                trainer.train(recordLosses(straight));
                straightWeights = values(stage.networks());
                straightEma = emaValues(trainer.ema());
            }
        }

        Path checkpoint = dir.resolve("interrupted");
        List<Double> resumed = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            DiffusionStage stage = diffusionStage(manager, pixels.size(), 5);
            try (Trainer trainer = new Trainer(stage, settings, configs, checkpoint)) {
                trainer.train(recordLosses(resumed), 2);
            }
        }
        assertEquals(2, Checkpoint.readState(checkpoint).step());
        try (NDManager manager = NDManager.newBaseManager();
                UNet2DConditionModel unet = (UNet2DConditionModel) Checkpoint.loadNetwork(checkpoint,
                        ComponentFolders.UNET, manager);
                CLIPTextModel text = (CLIPTextModel) Checkpoint.loadNetwork(checkpoint, ComponentFolders.TEXT_ENCODER,
                        manager)) {
            DiffusionStage stage = diffusionStage(unet, text);
            try (Trainer trainer = new Trainer(stage, settings, configs, checkpoint)) {
                assertEquals(2, trainer.step());
                trainer.train(recordLosses(resumed));
                assertEquals(straight, resumed, "every step's loss, bit for bit");
                assertMapsEqual(straightWeights, values(stage.networks()));
                assertMapsEqual(straightEma, emaValues(trainer.ema()));
            }
        }
        TrainingSettings otherSeed = TrainingSettings.defaults(4, 3, 3e-3, 6);
        try (NDManager manager = NDManager.newBaseManager()) {
            DiffusionStage stage = diffusionStage(manager, pixels.size(), 6);
            SdmException e = assertThrows(SdmException.class, () -> new Trainer(stage, otherSeed, configs, checkpoint));
            assertTrue(e.getMessage().contains("seed 5"), e.getMessage());
        }
    }

    /** A step whose gradients are not finite updates nothing, and its checkpoint is written all the same. */
    @Test
    void aSkippedStepStillWritesItsCheckpoint() {
        try (NDManager manager = NDManager.newBaseManager();
                AutoencoderKL vae = AutoencoderKL.random(TINY.vaeConfig(), 1, manager)) {
            VaeStage vaeStage = new VaeStage(vae, pixels.subList(0, 2), SIZE, VaeStage.DEFAULT_KL_WEIGHT, 7);
            TrainingStage nanAtStepTwo = new TrainingStage() {
                @Override
                public String name() {
                    return vaeStage.name();
                }

                @Override
                public TrainedNetworks networks() {
                    return vaeStage.networks();
                }

                @Override
                public float forwardBackward(long step, int batchSize, NDManager scratch) {
                    float loss = vaeStage.forwardBackward(step, batchSize, scratch);
                    if (step == 1) {
                        GradMode.withoutRecording(() -> {
                            try (NDArray gradient = networks().parameters().values().iterator().next().value()
                                    .getGradient()) {
                                gradient.muli(Float.NaN);
                            }
                        });
                    }
                    return loss;
                }
            };
            Path folder = dir.resolve("skipped");
            Map<String, float[]> before;
            TrainingSettings settings = TrainingSettings.defaults(2, 2, 1e-3, 7).withCheckpointEvery(2);
            try (Trainer trainer = new Trainer(nanAtStepTwo, settings, Map.of(ComponentFolders.VAE, TINY.vae()),
                    folder)) {
                trainer.train(TrainingListener.NONE, 1);
                before = values(vaeStage.networks());
                trainer.train(TrainingListener.NONE);
                assertEquals(1, trainer.skippedSteps());
            }
            assertMapsEqual(before, values(vaeStage.networks()));
            assertEquals(2, Checkpoint.readState(folder).step());
        }
    }

    /** Both stages, exported as a diffusers folder that the normal inference path loads and runs. */
    @Test
    void trainedWeightsLoadThroughTheInferencePath() throws IOException {
        Path out = dir.resolve("run");
        EmojiTraining training = new EmojiTraining(TINY, TestData.tinySd().resolve("tokenizer"), DType.F16);
        training.trainVae(this.training, out, TrainingSettings.defaults(3, 4, 1e-3, 1), false, TrainingListener.NONE);
        List<StepReport> reports = new ArrayList<>();
        training.trainUnet(this.training, out, TrainingSettings.defaults(3, 4, 1e-3, 1), false, new TrainingListener() {
            @Override
            public void onStep(StepReport report) {
                reports.add(report);
            }
        });
        assertEquals(List.of(1L, 2L, 3L), reports.stream().map(StepReport::step).toList());
        assertTrue(reports.get(2).imagesPerSecond() > 0);

        Path model = EmojiTraining.model(out);
        AutoencoderKLConfig vae = AutoencoderKLConfig.read(model.resolve("vae/config.json"));
        assertNotEquals(1.0, vae.scalingFactor(), "the VAE's scaling factor is measured");
        try (SafetensorsWeights unet = SafetensorsWeights.openComponent(model.resolve("unet"))) {
            assertEquals(DType.F16, unet.info("conv_in.weight").dtype());
        }
        try (StableDiffusion sd = StableDiffusion.load(model)) {
            GenerationResult result = sd.txt2img("a dog face, animals & nature").steps(3).seed(3).generate();
            assertEquals(SIZE, result.images().get(0).getWidth());
            for (float v : result.finalLatents().data()) {
                assertTrue(Float.isFinite(v));
            }
        }
        SdmException again = assertThrows(SdmException.class, () -> training.trainVae(this.training, out,
                TrainingSettings.defaults(3, 4, 1e-3, 1), false, TrainingListener.NONE));
        assertTrue(again.getMessage().contains("--resume"), again.getMessage());
    }

    private DiffusionStage diffusionStage(NDManager manager, int pictures, long seed) {
        UNet2DConditionModel unet = UNet2DConditionModel.random(TINY.unetConfig(), seed, manager);
        CLIPTextModel text = CLIPTextModel.random(TINY.textEncoderConfig(), seed + 1, manager);
        return diffusionStage(unet, text, pictures);
    }

    private DiffusionStage diffusionStage(UNet2DConditionModel unet, CLIPTextModel text) {
        return diffusionStage(unet, text, pixels.size());
    }

    private DiffusionStage diffusionStage(UNet2DConditionModel unet, CLIPTextModel text, int pictures) {
        LatentTable latents;
        try (NDManager manager = NDManager.newBaseManager();
                AutoencoderKL vae = AutoencoderKL.random(TINY.vaeConfig(), 2, manager)) {
            latents = LatentTable.encode(vae, pixels.subList(0, pictures), SIZE);
        }
        List<List<String>> captions = training.subList(0, pictures).stream().map(Captions::forms).toList();
        return new DiffusionStage(unet, text, latents, 1f, captions,
                ClipTokenizer.load(TestData.tinySd().resolve("tokenizer")), DiffusionStage.DEFAULT_DROP_PROBABILITY,
                5, new EpochOrder(pictures, 5));
    }

    /** The loss of step 0's draws, without changing the weights. */
    private static double lossOfStepZero(TrainingStage stage) {
        try (NDManager scratch = NDManager.newBaseManager()) {
            double loss = stage.forwardBackward(0, 4, scratch);
            stage.networks().networks().values().forEach(Network::zeroGradients);
            return loss;
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

    private static Map<String, float[]> values(TrainedNetworks networks) {
        Map<String, float[]> values = new LinkedHashMap<>();
        networks.parameters().forEach((key, p) -> values.put(key, p.value().toFloatArray()));
        return values;
    }

    private static Map<String, float[]> emaValues(WeightEma ema) {
        Map<String, float[]> values = new LinkedHashMap<>();
        ema.averages().forEach((key, a) -> values.put(key, a.toFloatArray()));
        return values;
    }

    private static void assertMapsEqual(Map<String, float[]> expected, Map<String, float[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((key, v) -> assertArrayEquals(v, actual.get(key), 0f, key));
    }
}
