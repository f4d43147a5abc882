package io.github.sdm.bench.cli;

import io.github.sdm.assembly.data.DataOrder;
import io.github.sdm.assembly.data.EmojiDataset;
import io.github.sdm.assembly.djl.train.EmojiTraining;
import io.github.sdm.assembly.train.LossLog;
import io.github.sdm.assembly.train.ModelConfigs;
import io.github.sdm.assembly.train.StepReport;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sdm train vae|unet}: the two training stages of the emoji model (see docs/training.md). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the emoji text-to-image model on DJL, in two stages into one output folder:",
                "  sdm train vae  --data data/emoji --out runs/emoji   (the autoencoder: OUT/model/vae/)",
                "  sdm train unet --data data/emoji --out runs/emoji   (UNet + text encoder: completes OUT/model/)",
                "Each stage checkpoints into OUT/<stage>-checkpoint/ and continues from it with --resume;",
                "every step's loss goes to OUT/<stage>-loss.csv.",
                "Fetch the data first with scripts/fetch-emoji."})
final class TrainCommand implements Callable<Integer> {

    enum Stage { vae, unet }

    @Parameters(index = "0", description = "Stage: ${COMPLETION-CANDIDATES}.")
    Stage stage;

    @Mixin
    TrainingRunOptions run;

    @Option(names = "--lr", defaultValue = "1e-3",
            description = "Peak learning rate, after a linear warm-up over 5%% of the steps, then cosine to 0 "
                    + "(default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--order", defaultValue = "shuffled", converter = SpelledEnumConverter.DataOrders.class,
            description = "unet stage: shuffled (every picture once per epoch) or per-emoji (every emoji once per "
                    + "epoch in each style, as one of its skin-tone variations, so objects are seen as often as "
                    + "people); a resume continues the same run only with the same order (default: ${DEFAULT-VALUE}).")
    DataOrder order;

    @Option(names = "--tokenizer", description = "CLIP tokenizer folder (default: the embedded model's, "
            + "models/emoji-sd/tokenizer).")
    Path tokenizer;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        TrainingSettings settings = run.settings("sdm train", lr, "");
        if (stage == Stage.vae && order != DataOrder.SHUFFLED) {
            throw new SdmException("sdm train vae: --order " + order + " applies to the unet stage only");
        }
        EmojiDataset dataset = EmojiDataset.load(run.data);
        err.printf("sdm train %s: %d training pictures (%d held out) from %s, %d steps of %d, order %s%n", stage,
                dataset.training().size(), dataset.heldOut().size(), run.data, run.steps, run.batch, order);
        err.flush();
        EmojiTraining training = new EmojiTraining(ModelConfigs.emojiSd(),
                tokenizer != null ? tokenizer : EmbeddedModel.folder().resolve("tokenizer"),
                run.fp32 ? DType.F32 : DType.F16);
        double loss;
        try (LossLog log = new LossLog(run.out.resolve(stage + "-loss.csv"))) {
            TrainingListener progress = new TrainingProgressBar(err).andThen(log);
            loss = stage == Stage.vae
                    ? training.trainVae(dataset.training(), run.out, settings, run.resume, progress)
                    : training.trainUnet(dataset.training(), run.out, settings, order, run.resume, progress);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("%s stage done: last loss %.5f; model folder %s%n", stage, loss, EmojiTraining.model(run.out));
        stdout.flush();
        return 0;
    }

    /** A one-line progress bar: step, loss (and its running mean), learning rate, pictures per second. */
    static final class TrainingProgressBar implements TrainingListener {
        private static final int WIDTH = 30;
        private final PrintWriter out;
        private double smoothed = Double.NaN;

        TrainingProgressBar(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void onStep(StepReport r) {
            smoothed = Double.isNaN(smoothed) ? r.loss() : 0.98 * smoothed + 0.02 * r.loss();
            int filled = (int) (WIDTH * r.step() / r.totalSteps());
            out.printf("\r[%s%s] %d/%d  loss %.4f (mean %.4f)  lr %.2e  |g| %.2f  %.1f img/s", "#".repeat(filled),
                    " ".repeat(WIDTH - filled), r.step(), r.totalSteps(), r.loss(), smoothed, r.learningRate(),
                    r.gradientNorm(), r.imagesPerSecond());
            if (r.step() == r.totalSteps()) {
                out.println();
            }
            out.flush();
        }

        @Override
        public void onCheckpoint(long step, Path folder) {
            out.printf("%n  checkpoint at step %d: %s%n", step, folder);
            out.flush();
        }
    }
}
