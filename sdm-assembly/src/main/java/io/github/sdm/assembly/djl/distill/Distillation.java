package io.github.sdm.assembly.djl.distill;

import ai.djl.ndarray.NDManager;
import io.github.sdm.assembly.data.Captions;
import io.github.sdm.assembly.data.EmojiDataset;
import io.github.sdm.assembly.data.EmojiImage;
import io.github.sdm.assembly.distill.DistillationWeights;
import io.github.sdm.assembly.distill.FeaturePairs;
import io.github.sdm.assembly.distill.LossTermsLog;
import io.github.sdm.assembly.djl.train.Checkpoint;
import io.github.sdm.assembly.djl.train.ComponentFolders;
import io.github.sdm.assembly.djl.train.DiffusersExport;
import io.github.sdm.assembly.djl.train.DiffusionBatches;
import io.github.sdm.assembly.djl.train.DiffusionStage;
import io.github.sdm.assembly.djl.train.LatentTable;
import io.github.sdm.assembly.djl.train.Trainer;
import io.github.sdm.assembly.students.ModelFolders;
import io.github.sdm.assembly.train.StepReport;
import io.github.sdm.assembly.train.TrainingListener;
import io.github.sdm.assembly.train.TrainingSettings;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.tokenizer.ClipTokenizer;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Distills a student UNet from a teacher model on captioned pictures, into one output folder:
 * <pre>
 * out/distill-checkpoint/   the resumable state (the student's weights, AdamW, EMA)
 * out/distill-loss.csv      every step's loss (the weighted sum), as sdm train writes it
 * out/distill-terms.csv     every step's unweighted task, output and feature terms
 * out/model/                the teacher's folder with the student's UNet (EMA weights): a model folder
 * </pre>
 * The teacher's VAE encodes the pictures once (as the UNet training stage does); its text encoder and UNet stay
 * frozen. The student is a model folder (from {@code sdm assemble}) or a UNet folder; its {@code config.json} is
 * kept as it is, an ME-CondConv student's {@code sdm_condconv} field included.
 */
public final class Distillation {
    private final Path teacher;
    private final Path studentUnet;
    private final DistillationWeights weights;
    private final DType exportDtype;

    /**
     * @param teacher the teacher's model folder ({@code unet/}, {@code vae/}, {@code text_encoder/},
     *     {@code tokenizer/}, ...)
     * @param student the student's model folder or UNet folder
     */
    public Distillation(Path teacher, Path student, DistillationWeights weights, DType exportDtype) {
        if (exportDtype != DType.F32 && exportDtype != DType.F16) {
            throw new IllegalArgumentException("export dtype must be F32 or F16, got " + exportDtype);
        }
        for (String component : List.of(ComponentFolders.UNET, ComponentFolders.VAE, ComponentFolders.TEXT_ENCODER)) {
            requireFile(teacher.resolve(component).resolve("config.json"), "teacher");
        }
        requireFile(teacher.resolve("tokenizer").resolve("vocab.json"), "teacher");
        this.teacher = teacher;
        this.studentUnet = Files.isRegularFile(student.resolve(ComponentFolders.UNET).resolve("config.json"))
                ? student.resolve(ComponentFolders.UNET) : student;
        requireFile(studentUnet.resolve("config.json"), "student (a model folder with unet/config.json, or a UNet folder)");
        this.weights = weights;
        this.exportDtype = exportDtype;
    }

    public static Path checkpoint(Path out) {
        return out.resolve("distill-checkpoint");
    }

    public static Path model(Path out) {
        return out.resolve("model");
    }

    public static Path lossLog(Path out) {
        return out.resolve("distill-loss.csv");
    }

    public static Path termsLog(Path out) {
        return out.resolve("distill-terms.csv");
    }

    /** The picture size the teacher draws: its UNet's {@code sample_size} times its VAE's downscale. */
    public int imageSize() {
        return UNetConfig.read(teacher.resolve(ComponentFolders.UNET).resolve("config.json")).sampleSize()
                * AutoencoderKLConfig.read(teacher.resolve(ComponentFolders.VAE).resolve("config.json")).downscaleFactor();
    }

    /** The feature pairs of this teacher and student. */
    public FeaturePairs featurePairs() {
        return FeaturePairs.of(UNetConfig.read(teacher.resolve(ComponentFolders.UNET).resolve("config.json")),
                UNetConfig.read(studentUnet.resolve("config.json")));
    }

    /**
     * Distills on {@code training}, checkpointing into {@code out}, then writes {@code out/model/}. Returns the
     * last step's loss.
     */
    public double run(List<EmojiImage> training, Path out, TrainingSettings settings, boolean resume,
            TrainingListener listener) {
        FeaturePairs pairs = weights.feature() > 0 ? featurePairs() : new FeaturePairs(List.of());
        Path checkpoint = checkpoint(out);
        Checkpoint.requireResumeIfPresent(checkpoint, resume);
        int size = imageSize();
        LatentTable latents;
        float scalingFactor;
        try (NDManager manager = NDManager.newBaseManager();
                AutoencoderKL vae = AutoencoderKL.load(teacher.resolve(ComponentFolders.VAE), manager)) {
            latents = LatentTable.encode(vae, EmojiDataset.pixels(training, size), size);
            scalingFactor = (float) vae.config().scalingFactor();
        }
        DiffusionBatches batches = new DiffusionBatches(latents, scalingFactor,
                training.stream().map(Captions::forms).toList(), ClipTokenizer.load(teacher.resolve("tokenizer")),
                DiffusionStage.DEFAULT_DROP_PROBABILITY, settings.seed());
        String studentConfig = read(studentUnet.resolve("config.json"));
        boolean resuming = Checkpoint.exists(checkpoint);
        try (NDManager manager = NDManager.newBaseManager();
                UNet2DConditionModel teacherUnet = UNet2DConditionModel.load(teacher.resolve(ComponentFolders.UNET),
                        manager);
                CLIPTextModel textEncoder = CLIPTextModel.load(teacher.resolve(ComponentFolders.TEXT_ENCODER), manager);
                UNet2DConditionModel student = resuming
                        ? (UNet2DConditionModel) Checkpoint.loadNetwork(checkpoint, ComponentFolders.UNET, manager)
                        : UNet2DConditionModel.load(studentUnet, manager);
                LossTermsLog terms = new LossTermsLog(termsLog(out))) {
            DistillationStage stage = new DistillationStage(teacherUnet, textEncoder, student, batches, weights, pairs);
            TrainingListener withTerms = new TrainingListener() {
                @Override
                public void onStep(StepReport report) {
                    terms.write(report.step(), stage.lastTerms());
                }
            }.andThen(listener);
            try (Trainer trainer = new Trainer(stage, settings, Map.of(ComponentFolders.UNET, studentConfig),
                    checkpoint)) {
                double loss = trainer.train(withTerms);
                writeModel(model(out), studentConfig, trainer);
                return loss;
            }
        }
    }

    /** The teacher's folder with the student's UNet, its EMA weights in the export dtype. */
    private void writeModel(Path model, String studentConfig, Trainer trainer) {
        Path partial = model.resolveSibling(model.getFileName() + ".partial");
        Checkpoint.deleteRecursively(partial);
        ModelFolders.copyWithoutUnet(teacher, partial);
        ComponentFolders.write(partial.resolve(ComponentFolders.UNET), ComponentFolders.UNET, studentConfig,
                DiffusersExport.emaWeights(trainer.ema(), ComponentFolders.UNET), exportDtype);
        Checkpoint.deleteRecursively(model);
        try {
            Files.move(partial, model);
        } catch (IOException e) {
            throw new SdmException("Cannot move " + partial + " to " + model + ": " + e, e);
        }
    }

    private static void requireFile(Path file, String role) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException("the " + role + " has no " + file);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelFormatException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
