package io.github.sdm.assembly.train;

/**
 * The optimisation settings of one training stage.
 *
 * @param steps optimizer steps in all (a resumed run continues up to this number)
 * @param batchSize pictures per step
 * @param learningRate the peak learning rate, reached after {@code warmupSteps}, then cosine-decayed to 0
 * @param warmupSteps steps of linear warm-up from 0
 * @param weightDecay AdamW's decoupled weight decay
 * @param beta1 AdamW's first-moment decay
 * @param beta2 AdamW's second-moment decay
 * @param epsilon AdamW's denominator guard
 * @param maxGradNorm the global gradient norm clipped to (0: no clipping)
 * @param emaDecay the EMA's decay (the effective decay warms up as {@code min(decay, (1+s)/(10+s))})
 * @param seed seeds the data order and every random draw (see {@code StepRandom})
 * @param checkpointEvery steps between checkpoints (the last step always writes one)
 */
public record TrainingSettings(int steps, int batchSize, double learningRate, int warmupSteps, double weightDecay,
        double beta1, double beta2, double epsilon, double maxGradNorm, double emaDecay, long seed,
        int checkpointEvery) {

    public TrainingSettings {
        positive("steps", steps);
        positive("batchSize", batchSize);
        positive("checkpointEvery", checkpointEvery);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        }
        unit("beta1", beta1);
        unit("beta2", beta2);
        unit("emaDecay", emaDecay);
        if (weightDecay < 0 || epsilon <= 0 || maxGradNorm < 0) {
            throw new IllegalArgumentException("weightDecay and maxGradNorm must be >= 0 and epsilon > 0, got "
                    + weightDecay + ", " + maxGradNorm + ", " + epsilon);
        }
    }

    /** AdamW (0.9, 0.999, eps 1e-8, decay 0.01), clipping at norm 1, EMA 0.999, warm-up 5% of the steps. */
    public static TrainingSettings defaults(int steps, int batchSize, double learningRate, long seed) {
        return new TrainingSettings(steps, batchSize, learningRate, Math.max(1, steps / 20), 0.01, 0.9, 0.999, 1e-8,
                1.0, 0.999, seed, Math.max(1, Math.min(500, steps)));
    }

    public TrainingSettings withCheckpointEvery(int every) {
        return new TrainingSettings(steps, batchSize, learningRate, warmupSteps, weightDecay, beta1, beta2, epsilon,
                maxGradNorm, emaDecay, seed, every);
    }

    public TrainingSettings withSteps(int newSteps) {
        return new TrainingSettings(newSteps, batchSize, learningRate, warmupSteps, weightDecay, beta1, beta2, epsilon,
                maxGradNorm, emaDecay, seed, checkpointEvery);
    }

    public TrainingSettings withWarmupSteps(int warmup) {
        return new TrainingSettings(steps, batchSize, learningRate, warmup, weightDecay, beta1, beta2, epsilon,
                maxGradNorm, emaDecay, seed, checkpointEvery);
    }

    /** The learning rate of step {@code step} (0-based): linear warm-up, then a cosine down to 0 at {@link #steps}. */
    public double learningRateAt(long step) {
        if (step < warmupSteps) {
            return learningRate * (step + 1) / warmupSteps;
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, steps - warmupSteps);
        return learningRate * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, progress)));
    }

    /** The EMA decay applied after step {@code step}. */
    public double emaDecayAt(long step) {
        return Math.min(emaDecay, (1.0 + step) / (10.0 + step));
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    private static void unit(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
    }
}
