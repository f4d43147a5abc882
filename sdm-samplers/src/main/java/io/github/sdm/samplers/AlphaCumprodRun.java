package io.github.sdm.samplers;

/**
 * A run of the samplers that step between integer training timesteps on {@code alphas_cumprod} directly (DDIM, DDPM,
 * PNDM, LCM): unit starting noise, {@code add_noise} by {@code sqrt(alphas_cumprod)}.
 */
abstract class AlphaCumprodRun extends AbstractRun {

    /** The integer timesteps by global index. */
    final int[] timesteps;
    /** {@code num_train_timesteps // num_inference_steps}: the DDIM family's distance between timesteps. */
    final int stride;
    private final NoiseSchedule noiseSchedule;
    private final float finalAlphaCumprod;

    /** @param finalAlphaCumprod what {@link #alphaCumprod} gives before timestep 0 */
    AlphaCumprodRun(int[] timesteps, NoiseSchedule noiseSchedule, float finalAlphaCumprod, int begin,
            int numInferenceSteps, NoiseSource noise) {
        super(InferenceTimesteps.toDouble(timesteps), begin, numInferenceSteps, 1, noise);
        this.timesteps = timesteps;
        this.stride = noiseSchedule.numTrainTimesteps() / numInferenceSteps;
        this.noiseSchedule = noiseSchedule;
        this.finalAlphaCumprod = finalAlphaCumprod;
    }

    @Override
    public final float initNoiseSigma() {
        return 1.0f;
    }

    /** {@code alphas_cumprod[timestep]}, or the final value for a timestep below 0 (the step past the last). */
    final float alphaCumprod(int timestep) {
        return timestep >= 0 ? noiseSchedule.alphaCumprod(timestep) : finalAlphaCumprod;
    }

    /** {@code original * sqrt(alphaCumprod) + noise * sqrt(1 - alphaCumprod)}, in float32 as diffusers. */
    @Override
    final float[] noised(float[] original, float[] noise, int index) {
        float alphaCumprod = noiseSchedule.alphaCumprod(timesteps[index]);
        float sqrtAlpha = (float) Math.sqrt(alphaCumprod);
        float sqrtOneMinusAlpha = (float) Math.sqrt(1f - alphaCumprod);
        float[] out = new float[original.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sqrtAlpha * original[i] + sqrtOneMinusAlpha * noise[i];
        }
        return out;
    }
}
