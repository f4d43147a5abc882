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
import picocli.CommandLine.Mixin;
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

    @Mixin
    TrainingRunOptions run;

    @Option(names = "--lr", defaultValue = "1e-4",
            description = "Peak learning rate, after a linear warm-up over 5%% of the steps, then cosine to 0 "
                    + "(default: ${DEFAULT-VALUE}).")
    double lr;

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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        TrainingSettings settings = run.settings("sdm distill", lr, ", --task-weight " + taskWeight
                + ", --output-weight " + outputWeight + ", --feature-weight " + featureWeight);
        DistillationWeights weights;
        try {
            weights = new DistillationWeights(taskWeight, outputWeight, featureWeight);
        } catch (IllegalArgumentException e) {
            throw new SdmException("sdm distill: " + e.getMessage() + " (--task-weight " + taskWeight
                    + ", --output-weight " + outputWeight + ", --feature-weight " + featureWeight + ")", e);
        }
        Distillation distillation = new Distillation(teacher, student, weights, run.fp32 ? DType.F32 : DType.F16);
        EmojiDataset dataset = EmojiDataset.load(run.data);
        err.printf("sdm distill: %s from %s, %d training pictures from %s, %d steps of %d, loss weights %s/%s/%s%n",
                student, teacher, dataset.training().size(), run.data, run.steps, run.batch, taskWeight, outputWeight,
                featureWeight);
        if (featureWeight > 0) {
            err.printf("  feature pairs (student <- teacher): %s%n", distillation.featurePairs().pairs().stream()
                    .map(p -> p.studentPart().equals(p.teacherPart()) ? p.studentPart()
                            : p.studentPart() + " <- " + p.teacherPart()).toList());
        }
        err.flush();
        double loss;
        try (LossLog log = new LossLog(Distillation.lossLog(run.out))) {
            TrainingListener progress = new TrainCommand.TrainingProgressBar(err).andThen(log);
            loss = distillation.run(dataset.training(), run.out, settings, run.resume, progress);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("distillation done: last loss %.5f; model folder %s%n", loss, Distillation.model(run.out));
        stdout.flush();
        return 0;
    }
}
