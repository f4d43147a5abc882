package io.github.sdm.core;

/**
 * Reported after every sampler step.
 *
 * @param step 1-based index of the step just done
 * @param totalSteps steps in this generation (model calls for multi-call samplers)
 * @param timestep the timestep of that step
 * @param generation the running generation, so a listener can cancel it
 */
public record StepProgress(int step, int totalSteps, double timestep, Generation generation) {
}
