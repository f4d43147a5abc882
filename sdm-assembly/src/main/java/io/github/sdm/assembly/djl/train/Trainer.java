package io.github.sdm.assembly.djl.train;

import ai.djl.ndarray.NDManager;
import io.github.sdm.assembly.train.StepReport;
import io.github.sdm.assembly.train.TrainingListener;
import io.github.sdm.assembly.train.TrainingSettings;
import io.github.sdm.core.error.SdmException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The training loop of one stage: each step runs the stage's forward and backward pass, clips the gradients
 * to a global norm, takes an AdamW step at the scheduled learning rate (warm-up, then cosine) and updates the
 * EMA; every {@code checkpointEvery} steps and after the last it writes a {@link Checkpoint}. A step whose
 * gradient norm is not finite updates nothing (reported with that norm, counted in {@link #skippedSteps()}).
 */
public final class Trainer implements AutoCloseable {
    private final TrainingStage stage;
    private final TrainingSettings settings;
    private final Map<String, String> configs;
    private final Path checkpointFolder;
    private final NDManager manager;
    private final AdamW optimizer;
    private final WeightEma ema;
    private long step;
    private long skippedSteps;

    /**
     * @param configs each trained component's {@code config.json} text, by component name (for checkpoints)
     * @param checkpointFolder where checkpoints go; when it holds one of this stage, training resumes from it
     *     (the stage's networks must then have been loaded from it, see {@link Checkpoint#loadNetwork})
     */
    public Trainer(TrainingStage stage, TrainingSettings settings, Map<String, String> configs, Path checkpointFolder) {
        this.stage = stage;
        this.settings = settings;
        this.configs = Map.copyOf(configs);
        this.checkpointFolder = checkpointFolder;
        this.manager = NDManager.newBaseManager();
        this.optimizer = new AdamW(settings.beta1(), settings.beta2(), settings.epsilon(), settings.weightDecay(),
                manager);
        this.ema = new WeightEma(manager);
        if (checkpointFolder != null && Checkpoint.exists(checkpointFolder)) {
            Checkpoint.State state = Checkpoint.readState(checkpointFolder);
            requireSame(state);
            Checkpoint.restore(checkpointFolder, state, optimizer, ema);
            step = state.step();
        } else {
            ema.reset(stage.networks().parameters());
        }
    }

    /** Steps done so far (restored from a checkpoint, or 0). */
    public long step() {
        return step;
    }

    /** Trains up to {@code settings.steps()}; returns the last step's loss (NaN if no step was left). */
    public double train(TrainingListener listener) {
        return train(listener, settings.steps());
    }

    /**
     * Trains up to step {@code untilStep} of the schedule (at most {@code settings.steps()}), as an interrupted
     * run would: the learning-rate schedule still spans all steps.
     */
    public double train(TrainingListener listener, long untilStep) {
        double loss = Double.NaN;
        long started = System.nanoTime();
        long firstStep = step;
        while (step < Math.min(untilStep, settings.steps())) {
            double gradientNorm;
            double learningRate = settings.learningRateAt(step);
            try (NDManager scratch = manager.newSubManager()) {
                loss = stage.forwardBackward(step, settings.batchSize(), scratch);
                if (!Double.isFinite(loss)) {
                    throw new SdmException("training diverged: stage " + stage.name() + " step " + (step + 1)
                            + " has loss " + loss + " (lower --lr, or resume from the last checkpoint)");
                }
                gradientNorm = stage.networks().gradientNorm();
                if (Double.isFinite(gradientNorm)) {
                    double clip = settings.maxGradNorm() > 0 && gradientNorm > settings.maxGradNorm()
                            ? settings.maxGradNorm() / gradientNorm : 1;
                    optimizer.beginStep(learningRate, clip);
                    stage.networks().applyGradients(optimizer);
                    ema.update(stage.networks().parameters(), settings.emaDecayAt(step));
                } else {
                    // The step's draws are spent but nothing is updated, as a loss scaler skips an overflow (its
                    // checkpoint is still written). A safety net: the one cause seen (constants freed by a
                    // garbage collection before the backward pass, see docs/training.md, known problems) is fixed.
                    stage.networks().networks().values().forEach(io.github.sdm.unet.djl.nn.Network::zeroGradients);
                    skippedSteps++;
                }
            }
            step++;
            report(listener, loss, learningRate, gradientNorm, started, firstStep);
            if (checkpointFolder != null && (step % settings.checkpointEvery() == 0 || step == settings.steps())) {
                Checkpoint.write(checkpointFolder, new Checkpoint.State(stage.name(), step, settings.seed(),
                        settings.batchSize()), configs, stage.networks(), optimizer, ema);
                listener.onCheckpoint(step, checkpointFolder);
            }
        }
        return loss;
    }

    /** Steps whose gradients were not finite, so that no update was made (counted over this object's life). */
    public long skippedSteps() {
        return skippedSteps;
    }

    private void report(TrainingListener listener, double loss, double learningRate, double gradientNorm,
            long started, long firstStep) {
        double seconds = (System.nanoTime() - started) / 1e9;
        listener.onStep(new StepReport(step, settings.steps(), loss, learningRate, gradientNorm,
                (step - firstStep) * settings.batchSize() / seconds));
    }

    /** The EMA of the weights, keyed {@code <component>/<key>}: what a trained model is exported with. */
    public WeightEma ema() {
        return ema;
    }

    private void requireSame(Checkpoint.State state) {
        if (!state.stage().equals(stage.name()) || state.seed() != settings.seed()
                || state.batchSize() != settings.batchSize()) {
            throw new SdmException("checkpoint " + checkpointFolder + " is of stage '" + state.stage() + "', seed "
                    + state.seed() + ", batch " + state.batchSize() + "; this run is stage '" + stage.name()
                    + "', seed " + settings.seed() + ", batch " + settings.batchSize()
                    + ": resume with the same values, or give another output folder");
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
