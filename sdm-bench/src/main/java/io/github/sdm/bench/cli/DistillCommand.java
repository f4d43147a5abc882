package io.github.sdm.bench.cli;

import io.github.sdm.assembly.data.EmojiDataset;
import io.github.sdm.assembly.distill.DistillationWeights;
import io.github.sdm.assembly.djl.distill.Distillation;
import io.github.sdm.assembly.train.LossLog;
import io.github.sdm.assembly.train.TrainingListener;
import io.github.sdm.assembly.train.TrainingSettings;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.safetensors.DType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sdm distill}: trains an assembled student UNet against its teacher (see docs/model-assembly.md). */
@Command(name = "distill", mixinStandardHelpOptions = true,
        description = {"Distill a student UNet (from sdm assemble) from its teacher, as BK-SDM does:",
                "  loss = task * mse(student, noise) + output * mse(student, teacher)",
                "       + feature * sum of mse(student block output, teacher block output)",
                "The teacher's UNet, text encoder and VAE stay frozen. Writes into OUT:",
                "  distill-checkpoint/  resumable state (continue with --resume)",
                "  distill-loss.csv     every step's loss; distill-terms.csv its three terms",
                "  model/               the teacher's folder with the distilled student UNet",
                "Fetch the data first with scripts/fetch-emoji."})
final class DistillCommand implements Callable<Integer> {

    @Option(names = "--teacher", required = true, description = "The teacher's model folder.")
    Path teacher;

    @Option(names = "--student", required = true,
            description = "The student: a model folder from sdm assemble, or a UNet folder.")
    Path student;

    @Option(names = "--data", defaultValue = "data/emoji",
            description = "Emoji data folder written by scripts/fetch-emoji (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--out", required = true, description = "Output folder (checkpoint, loss logs and model/).")
    Path out;

    @Option(names = "--steps", required = true, description = "Optimizer steps.")
    int steps;

    @Option(names = "--batch", defaultValue = "32", description = "Pictures per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-4",
            description = "Peak learning rate, after a linear warm-up over 5%% of the steps, then cosine to 0 "
                    + "(default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--seed", defaultValue = "0",
            description = "Seed of the data order and noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint-every", defaultValue = "500",
            description = "Steps between checkpoints (default: ${DEFAULT-VALUE}; the last step always writes one).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from OUT/distill-checkpoint/ (same seed and batch).")
    boolean resume;

    @Option(names = "--task-weight", defaultValue = "1",
            description = "Weight of the task loss, mse to the true noise (default: ${DEFAULT-VALUE}).")
    double taskWeight;

    @Option(names = "--output-weight", defaultValue = "1",
            description = "Weight of the output loss, mse to the teacher's prediction (default: ${DEFAULT-VALUE}).")
    double outputWeight;

    @Option(names = "--feature-weight", defaultValue = "1",
            description = "Weight of the feature loss, mse of matched block outputs; 0 lets any student with the "
                    + "teacher's latent and text widths be distilled (default: ${DEFAULT-VALUE}).")
    double featureWeight;

    @Option(names = "--fp32", description = "Export float32 weights (default: float16, half the size).")
    boolean fp32;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        TrainingSettings settings;
        DistillationWeights weights;
        try {
            settings = TrainingSettings.defaults(steps, batch, lr, seed)
                    .withCheckpointEvery(Math.min(checkpointEvery, steps));
            weights = new DistillationWeights(taskWeight, outputWeight, featureWeight);
        } catch (IllegalArgumentException e) {
            throw new SdmException("sdm distill: " + e.getMessage() + " (--steps " + steps + ", --batch " + batch
                    + ", --lr " + lr + ", --checkpoint-every " + checkpointEvery + ", --task-weight " + taskWeight
                    + ", --output-weight " + outputWeight + ", --feature-weight " + featureWeight + ")", e);
        }
        Distillation distillation = new Distillation(teacher, student, weights, fp32 ? DType.F32 : DType.F16);
        EmojiDataset dataset = EmojiDataset.load(data);
        err.printf("sdm distill: %s from %s, %d training pictures from %s, %d steps of %d, loss weights %s/%s/%s%n",
                student, teacher, dataset.training().size(), data, steps, batch, taskWeight, outputWeight,
                featureWeight);
        if (featureWeight > 0) {
            err.printf("  feature pairs (student <- teacher): %s%n", distillation.featurePairs().pairs().stream()
                    .map(p -> p.studentPart().equals(p.teacherPart()) ? p.studentPart()
                            : p.studentPart() + " <- " + p.teacherPart()).toList());
        }
        err.flush();
        double loss;
        try (LossLog log = new LossLog(Distillation.lossLog(out))) {
            TrainingListener progress = new TrainCommand.TrainingProgressBar(err).andThen(log);
            loss = distillation.run(dataset.training(), out, settings, resume, progress);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("distillation done: last loss %.5f; model folder %s%n", loss, Distillation.model(out));
        stdout.flush();
        return 0;
    }
}
