package io.github.sdm.assembly.djl.train;

import ai.djl.ndarray.NDManager;
import io.github.sdm.assembly.data.Captions;
import io.github.sdm.assembly.data.DataOrder;
import io.github.sdm.assembly.data.EmojiDataset;
import io.github.sdm.assembly.data.EmojiImage;
import io.github.sdm.assembly.train.ModelConfigs;
import io.github.sdm.assembly.train.TrainingListener;
import io.github.sdm.assembly.train.TrainingSettings;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.tokenizer.ClipTokenizer;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The two stages that make a text-to-image model from captioned pictures, into one output folder:
 * <pre>
 * out/vae-checkpoint/    stage 1's resumable state
 * out/unet-checkpoint/   stage 2's resumable state
 * out/model/             the diffusers folder: vae/ after stage 1, the rest after stage 2
 * </pre>
 * Stage 1 trains the VAE and exports its EMA weights with a measured {@code scaling_factor}; stage 2 trains
 * the UNet and the text encoder on that VAE's latents and completes the folder.
 */
public final class EmojiTraining {
    /** Pictures the VAE scale is measured on (the first ones of the training list). */
    private static final int SCALE_SAMPLE = 1024;

    private final ModelConfigs configs;
    private final Path tokenizerFolder;
    private final DType exportDtype;

    public EmojiTraining(ModelConfigs configs, Path tokenizerFolder, DType exportDtype) {
        if (exportDtype != DType.F32 && exportDtype != DType.F16) {
            throw new IllegalArgumentException("export dtype must be F32 or F16, got " + exportDtype);
        }
        this.configs = configs;
        this.tokenizerFolder = tokenizerFolder;
        this.exportDtype = exportDtype;
    }

    public static Path vaeCheckpoint(Path out) {
        return out.resolve("vae-checkpoint");
    }

    public static Path unetCheckpoint(Path out) {
        return out.resolve("unet-checkpoint");
    }

    public static Path model(Path out) {
        return out.resolve("model");
    }

    /** Stage 1 on {@code training}; writes {@code out/model/vae/}. Returns the last step's loss. */
    public double trainVae(List<EmojiImage> training, Path out, TrainingSettings settings, boolean resume,
            TrainingListener listener) {
        int size = configs.imageSize();
        List<byte[]> pixels = EmojiDataset.pixels(training, size);
        Path checkpoint = vaeCheckpoint(out);
        Checkpoint.requireResumeIfPresent(checkpoint, resume);
        try (NDManager manager = NDManager.newBaseManager();
                AutoencoderKL vae = Checkpoint.exists(checkpoint)
                        ? (AutoencoderKL) Checkpoint.loadNetwork(checkpoint, ComponentFolders.VAE, manager)
                        : AutoencoderKL.random(configs.vaeConfig(), settings.seed(), manager)) {
            VaeStage stage = new VaeStage(vae, pixels, size, VaeStage.DEFAULT_KL_WEIGHT, settings.seed());
            try (Trainer trainer = new Trainer(stage, settings, Map.of(ComponentFolders.VAE, configs.vae()),
                    checkpoint)) {
                double loss = trainer.train(listener);
                Path model = model(out);
                DiffusersExport.writeVae(model, configs.vae(), DiffusersExport.emaWeights(trainer.ema(),
                        ComponentFolders.VAE), exportDtype);
                double scale = measureScale(model.resolve(ComponentFolders.VAE), pixels, size);
                DiffusersExport.writeVae(model, ModelConfigs.withScalingFactor(configs.vae(), scale),
                        DiffusersExport.emaWeights(trainer.ema(), ComponentFolders.VAE), exportDtype);
                return loss;
            }
        }
    }

    /** Stage 2 on {@code training}, with stage 1's VAE; completes {@code out/model/}. Returns the last loss. */
    public double trainUnet(List<EmojiImage> training, Path out, TrainingSettings settings, boolean resume,
            TrainingListener listener) {
        return trainUnet(training, out, settings, DataOrder.SHUFFLED, resume, listener);
    }

    /**
     * Stage 2, visiting the pictures in {@code order}. The order is not part of the checkpoint: a resumed run
     * continues the uninterrupted one exactly when it is given the same order.
     */
    public double trainUnet(List<EmojiImage> training, Path out, TrainingSettings settings, DataOrder order,
            boolean resume, TrainingListener listener) {
        int size = configs.imageSize();
        Path model = model(out);
        Path vaeFolder = model.resolve(ComponentFolders.VAE);
        if (!Files.isRegularFile(vaeFolder.resolve("config.json"))) {
            throw new SdmException("no trained VAE at " + vaeFolder + ": run the vae stage into " + out + " first");
        }
        LatentTable latents;
        float scalingFactor;
        try (NDManager manager = NDManager.newBaseManager(); AutoencoderKL vae = AutoencoderKL.load(vaeFolder, manager)) {
            latents = LatentTable.encode(vae, EmojiDataset.pixels(training, size), size);
            scalingFactor = (float) vae.config().scalingFactor();
        }
        List<List<String>> captions = training.stream().map(Captions::forms).toList();
        ClipTokenizer tokenizer = ClipTokenizer.load(tokenizerFolder);
        Path checkpoint = unetCheckpoint(out);
        Checkpoint.requireResumeIfPresent(checkpoint, resume);
        boolean resuming = Checkpoint.exists(checkpoint);
        try (NDManager manager = NDManager.newBaseManager();
                UNet2DConditionModel unet = resuming
                        ? (UNet2DConditionModel) Checkpoint.loadNetwork(checkpoint, ComponentFolders.UNET, manager)
                        : UNet2DConditionModel.random(configs.unetConfig(), settings.seed(), manager);
                CLIPTextModel textEncoder = resuming
                        ? (CLIPTextModel) Checkpoint.loadNetwork(checkpoint, ComponentFolders.TEXT_ENCODER, manager)
                        : CLIPTextModel.random(configs.textEncoderConfig(), settings.seed() + 1, manager)) {
            DiffusionStage stage = new DiffusionStage(unet, textEncoder, latents, scalingFactor, captions, tokenizer,
                    DiffusionStage.DEFAULT_DROP_PROBABILITY, settings.seed(), order.of(training, settings.seed()));
            try (Trainer trainer = new Trainer(stage, settings, Map.of(ComponentFolders.UNET, configs.unet(),
                    ComponentFolders.TEXT_ENCODER, configs.textEncoder()), checkpoint)) {
                double loss = trainer.train(listener);
                DiffusersExport.writeRest(model, configs,
                        DiffusersExport.emaWeights(trainer.ema(), ComponentFolders.UNET),
                        DiffusersExport.emaWeights(trainer.ema(), ComponentFolders.TEXT_ENCODER), tokenizerFolder,
                        exportDtype, ModelConfigs.modelReadme());
                return loss;
            }
        }
    }

    private static double measureScale(Path vaeFolder, List<byte[]> pixels, int size) {
        try (NDManager manager = NDManager.newBaseManager(); AutoencoderKL vae = AutoencoderKL.load(vaeFolder, manager)) {
            return LatentTable.encode(vae, pixels.subList(0, Math.min(SCALE_SAMPLE, pixels.size())), size)
                    .unitVarianceScale();
        }
    }
}
