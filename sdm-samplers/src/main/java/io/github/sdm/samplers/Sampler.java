package io.github.sdm.samplers;

/**
 * A configured sampler (a diffusers scheduler): immutable and thread-safe, shared by any number of concurrent
 * generations. Each generation asks it for its own {@link SamplingRun}, which holds the mutable state (multistep
 * history, Heun's half step, the noise source).
 */
public interface Sampler {

    /**
     * The diffusers class this sampler reproduces, e.g. {@code DPMSolverMultistepScheduler}.
     *
     * @return the class name
     */
    String name();

    /**
     * The configuration it was built from (before class defaults are applied).
     *
     * @return the configuration, overrides included
     */
    SamplerConfig config();

    /**
     * Model evaluations per inference step: 2 for Heun, 1 for the rest (diffusers' {@code order}). img2img multiplies
     * the skipped step count by it.
     *
     * @return 1 or 2
     */
    int order();

    /**
     * A run over the full schedule of {@code numInferenceSteps} steps (text to image).
     *
     * @param numInferenceSteps at least 1 and at most {@code num_train_timesteps} (some samplers allow fewer, e.g.
     *     LCM at most {@code original_inference_steps})
     * @param noise the run's randomness: a seeded source, recorded noise, or {@link NoiseSource#none()} for a
     *     deterministic sampler
     * @return a new run, for one generation
     * @throws SamplerConfigException if the step count is invalid for this sampler
     */
    default SamplingRun start(int numInferenceSteps, NoiseSource noise) {
        return startAtStrength(numInferenceSteps, 1.0, noise);
    }

    /**
     * A run that denoises only the last {@code strength} fraction of the schedule (image to image), as diffusers'
     * pipelines do with {@code get_timesteps}: {@code init = min(int(steps * strength), steps)}, the first
     * {@code (steps - init) * order()} timesteps are skipped and the run begins at that index (diffusers'
     * {@code set_begin_index}). The starting latents are {@link SamplingRun#addNoise} at step 0.
     *
     * @param numInferenceSteps the steps of the full schedule, as for {@link #start}
     * @param strength in [0, 1]; too small a strength for the step count (0 always) leaves no step to denoise and is
     *     refused with a message naming the smallest that works
     * @param noise the run's randomness, as for {@link #start}
     * @return a new run, for one generation
     * @throws SamplerConfigException if the step count or strength is invalid or leaves no step to run
     */
    SamplingRun startAtStrength(int numInferenceSteps, double strength, NoiseSource noise);
}
