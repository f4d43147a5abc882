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
     * diffusers' are (Euler and Heun with linspace spacing or Karras sigmas). A fresh copy.
     */
    double[] timesteps();

    /** The number of model calls, {@code timesteps().length}. */
    int length();

    /** The effective number of inference steps (after img2img strength), as diffusers' {@code get_timesteps} reports. */
    int numInferenceSteps();

    /** Model evaluations per inference step, as {@link Sampler#order()}. */
    int order();

    /** The standard deviation to scale unit Gaussian starting latents by. */
    float initNoiseSigma();

    /**
     * The model input for step {@code stepIndex}: {@code sample / sqrt(sigma^2 + 1)} for the sigma-based samplers
     * (Euler, Euler ancestral, Heun, LMS), the sample itself (the same array) for the others.
     */
    float[] scaleModelInput(float[] sample, int stepIndex);

    /**
     * Advances from step {@code stepIndex} to the next noise level, given the model output for the scaled input.
     * Returns a new array; the inputs are not modified.
     *
     * @throws IllegalStateException if steps are called out of order
     */
    float[] step(float[] modelOutput, int stepIndex, float[] sample);

    /**
     * Noises clean latents to the level of step {@code stepIndex} of this run (diffusers' {@code add_noise}): step 0
     * gives img2img's starting latents; inpainting re-noises the known region to step {@code i + 1} after each step.
     */
    float[] addNoise(float[] original, float[] noise, int stepIndex);

    /**
     * Tells the run how many images the flat arrays hold (default 1). Only dynamic thresholding, which clips each image
     * at its own quantile, depends on it. Call before the first step.
     */
    SamplingRun withBatchSize(int batchSize);
}
