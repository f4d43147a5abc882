package io.github.sdm.samplers;

/**
 * One generation's pass through a {@link Sampler}'s schedule. Not thread-safe; create one per generation.
 *
 * <p>The loop, with arrays holding a flattened latent batch (any shape; all arrays the same length):
 *
 * <pre>{@code
 * SamplingRun run = sampler.start(steps, noise);
 * float[] x = times(initialNoise, run.initNoiseSigma());
 * double[] t = run.timesteps();
 * for (int i = 0; i < t.length; i++) {
 *     float[] in = run.scaleModelInput(x, i);
 *     float[] eps = unet(in, t[i]);
 *     x = run.step(eps, i, x);
 * }
 * }</pre>
 *
 * Step indices count from 0 within this run. {@link #step} must be called for 0, 1, 2, ... in order, since multistep
 * samplers keep history; {@link #scaleModelInput} may be called at any index.
 */
public interface SamplingRun {

    /**
     * The timesteps to pass to the model, one per model call (Heun repeats all but the first). Fractional where
     * diffusers' are (Euler and Heun with linspace spacing or Karras sigmas).
     *
     * @return a fresh copy, {@link #length()} long
     */
    double[] timesteps();

    /**
     * The number of model calls, {@code timesteps().length}.
     *
     * @return the number of {@link #step} calls the run takes
     */
    int length();

    /**
     * The effective number of inference steps (after img2img strength), as diffusers' {@code get_timesteps} reports.
     *
     * @return the steps this run denoises
     */
    int numInferenceSteps();

    /**
     * Model evaluations per inference step, as {@link Sampler#order()}.
     *
     * @return 1 or 2
     */
    int order();

    /**
     * The standard deviation to scale unit Gaussian starting latents by.
     *
     * @return 1 for the alpha-based samplers; for the sigma-based ones the largest sigma, or
     *     {@code sqrt(sigma_max^2 + 1)} with {@code leading} spacing
     */
    float initNoiseSigma();

    /**
     * The model input for step {@code stepIndex}: {@code sample / sqrt(sigma^2 + 1)} for the sigma-based samplers
     * (Euler, Euler ancestral, Heun, LMS), the sample itself (the same array) for the others.
     *
     * @param sample the current latents
     * @param stepIndex the step, 0-based within this run
     * @return the model input: a new array, or {@code sample} itself
     */
    float[] scaleModelInput(float[] sample, int stepIndex);

    /**
     * Advances from step {@code stepIndex} to the next noise level, given the model output for the scaled input.
     *
     * @param modelOutput the model's prediction for {@link #scaleModelInput}'s result at this step
     * @param stepIndex the step, 0-based within this run
     * @param sample the current latents (unscaled)
     * @return the next latents, a new array; the inputs are not modified
     * @throws IllegalStateException if steps are called out of order
     */
    float[] step(float[] modelOutput, int stepIndex, float[] sample);

    /**
     * Noises clean latents to the level of step {@code stepIndex} of this run (diffusers' {@code add_noise}): step 0
     * gives img2img's starting latents; inpainting re-noises the known region to step {@code i + 1} after each step.
     *
     * @param original the clean latents
     * @param noise standard Gaussian noise, as long as {@code original}
     * @param stepIndex the step whose noise level to reach, 0-based within this run
     * @return the noised latents, a new array
     */
    float[] addNoise(float[] original, float[] noise, int stepIndex);

    /**
     * Tells the run how many images the flat arrays hold (default 1). Only dynamic thresholding, which clips each image
     * at its own quantile, depends on it. Call before the first step.
     *
     * @param batchSize the number of images the flat arrays hold, at least 1
     * @return this run
     * @throws IllegalArgumentException if {@code batchSize} is below 1
     * @throws IllegalStateException if a step was already taken
     */
    SamplingRun withBatchSize(int batchSize);
}
