package io.github.sdm.bench.cli;

import io.github.sdm.assembly.train.TrainingSettings;
import io.github.sdm.core.error.SdmException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every training run shares ({@code sdm train}, {@code sdm distill}): data, output, schedule, resume. */
final class TrainingRunOptions {

    @Option(names = "--data", defaultValue = "data/emoji",
            description = "Emoji data folder written by scripts/fetch-emoji (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--out", required = true, description = "Output folder (checkpoint, loss logs and model/).")
    Path out;

    @Option(names = "--steps", required = true, description = "Optimizer steps.")
    int steps;

    @Option(names = "--batch", defaultValue = "32", description = "Pictures per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of new weights, the data order and the noise "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint-every", defaultValue = "500",
            description = "Steps between checkpoints (default: ${DEFAULT-VALUE}; the last step always writes one).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from the checkpoint in OUT (same seed and batch; a larger "
            + "--steps lengthens the schedule).")
    boolean resume;

    @Option(names = "--fp32", description = "Export float32 weights (default: float16, half the size).")
    boolean fp32;

    /** The loop's settings with peak learning rate {@code lr}; bad values are an error naming the options. */
    TrainingSettings settings(String command, double lr, String otherOptions) {
        try {
            return TrainingSettings.defaults(steps, batch, lr, seed).withCheckpointEvery(Math.min(checkpointEvery, steps));
        } catch (IllegalArgumentException e) {
            throw new SdmException(command + ": " + e.getMessage() + " (--steps " + steps + ", --batch " + batch
                    + ", --lr " + lr + ", --checkpoint-every " + checkpointEvery + otherOptions + ")", e);
        }
    }
}
