package io.github.sdm.assembly.train;

/**
 * What one training step reports.
 *
 * @param step the step just done, 1-based
 * @param totalSteps the steps of the run
 * @param loss the step's loss
 * @param learningRate the learning rate it used
 * @param gradientNorm the global gradient norm before clipping
 * @param imagesPerSecond pictures per second since this run (or resume) started
 */
public record StepReport(long step, long totalSteps, double loss, double learningRate, double gradientNorm,
        double imagesPerSecond) {
}
