package io.github.sdm.samplers;

import java.util.Objects;
import java.util.Set;

/**
 * The latent consistency model sampler (Luo et al., arXiv 2310.04378), diffusers' {@code LCMScheduler}: each step
 * jumps to the consistency function's clean-sample estimate (with the boundary-condition scalings {@code c_skip},
 * {@code c_out}) and re-noises it to the next timestep with one fresh noise array, except after the last step.
 * Timesteps are chosen from the {@code original_inference_steps} grid the model was distilled on.
 *
 * <p>img2img works as diffusers' LCM pipeline does: the strength shrinks that grid ({@code set_timesteps(strength=)})
 * rather than skipping steps, so the run always has {@code numInferenceSteps} steps.
 */
public final class LcmSampler extends AbstractSampler {

    /**
     * The diffusers class this sampler mirrors, as a {@code scheduler_config.json}'s {@code _class_name} names it.
     */
    public static final String NAME = "LCMScheduler";

    private static final Set<String> FIELDS = fields(PredictedSampleClipping.CLIP_FIELDS,
            PredictedSampleClipping.THRESHOLD_FIELDS,
            Set.of("original_inference_steps", "set_alpha_to_one", "timestep_scaling"));

    private static final NoiseSchedule.BetaDefaults BETA_DEFAULTS =
            new NoiseSchedule.BetaDefaults(0.00085, 0.012, "scaled_linear", false);
    /** The data standard deviation of the consistency-model boundary condition. */
    private static final float SIGMA_DATA = 0.5f;

    private final int originalSteps;
    private final float finalAlphaCumprod;
    private final PredictedSampleClipping clipping;
    private final float timestepScaling;

    /**
     * A sampler configured from {@code config}; fields it leaves unset take the diffusers class's defaults.
     *
     * @param config the scheduler configuration (diffusers' field names)
     * @throws SamplerConfigException if a field this sampler reads has the wrong type or an unsupported value (the
     *     message names the field and value)
     */
    public LcmSampler(SamplerConfig config) {
        // timestep_spacing and steps_offset are read but, as in diffusers, unused: LCM has its own timestep grid
        super(NAME, config, FIELDS, BETA_DEFAULTS, NoiseSchedule.ZeroSnr.RESCALE, TimestepSpacing.LEADING);
        originalSteps = config.getInt("original_inference_steps", 50);
        if (originalSteps < 1 || originalSteps > numTrainTimesteps()) {
            throw new SamplerConfigException("original_inference_steps", originalSteps,
                    "must lie in 1..num_train_timesteps = " + numTrainTimesteps());
        }
        finalAlphaCumprod = config.getBoolean("set_alpha_to_one", true) ? 1.0f : noiseSchedule.alphaCumprod(0);
        clipping = PredictedSampleClipping.read(config, false, true);
        timestepScaling = (float) config.getDouble("timestep_scaling", 10.0);
    }

    @Override
    public SamplingRun startAtStrength(int numInferenceSteps, double strength, NoiseSource noise) {
        checkSteps(numInferenceSteps);
        checkStrength(strength);
        Objects.requireNonNull(noise, "noise");
        return new Run(timesteps(numInferenceSteps, strength), numInferenceSteps, noise);
    }

    @Override
    SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise) {
        return new Run(timesteps(numInferenceSteps, 1.0), numInferenceSteps, noise);
    }

    /** Every {@code k}-th training timestep ({@code k = N / original_inference_steps}), thinned evenly. */
    private int[] timesteps(int steps, double strength) {
        int k = numTrainTimesteps() / originalSteps;
        int available = (int) (originalSteps * strength);
        if (available < 1) {
            throw noDenoisingStep(strength, steps, Math.min(steps, originalSteps), originalSteps);
        }
        if (available / steps < 1) {
            throw new SamplerConfigException("num_inference_steps", steps,
                    "exceeds original_inference_steps x strength = " + originalSteps + " x " + strength
                            + "; use at most " + available + " steps or a higher strength");
        }
        if (steps > originalSteps) {
            throw new SamplerConfigException("num_inference_steps", steps,
                    "cannot exceed original_inference_steps = " + originalSteps);
        }
        double[] picks = ScheduleMath.numpyLinspace(0, available, steps, false);
        int[] out = new int[steps];
        for (int i = 0; i < steps; i++) {
            int fromEnd = (int) Math.floor(picks[i]);
            out[i] = (available - fromEnd) * k - 1;
        }
        return out;
    }

    private final class Run extends AlphaCumprodRun {

        Run(int[] timesteps, int numInferenceSteps, NoiseSource noise) {
            super(timesteps, noiseSchedule, finalAlphaCumprod, 0, numInferenceSteps, noise);
        }

        @Override
        float[] advance(float[] modelOutput, int index, float[] sample) {
            int t = timesteps[index];
            int prev = index + 1 < timesteps.length ? timesteps[index + 1] : t;
            float alphaProd = alphaCumprod(t);
            float alphaProdPrev = alphaCumprod(prev);
            float betaProd = 1 - alphaProd;
            float betaProdPrev = 1 - alphaProdPrev;
            float scaled = (float) t * timestepScaling;
            float cSkip = SIGMA_DATA * SIGMA_DATA / (scaled * scaled + SIGMA_DATA * SIGMA_DATA);
            float cOut = scaled / (float) Math.sqrt(scaled * scaled + SIGMA_DATA * SIGMA_DATA);
            float sqrtAlpha = (float) Math.sqrt(alphaProd);
            float sqrtBeta = (float) Math.sqrt(betaProd);
            int n = sample.length;
            float[] x0 = predictionType.predictedSample(modelOutput, sample, sqrtAlpha, sqrtBeta);
            clipping.apply(x0, batchSize);
            float[] denoised = new float[n];
            for (int i = 0; i < n; i++) {
                denoised[i] = cOut * x0[i] + cSkip * sample[i];
            }
            if (index == numInferenceSteps - 1) {
                return denoised;
            }
            float[] z = drawNoise(n);
            float sqrtAlphaPrev = (float) Math.sqrt(alphaProdPrev);
            float sqrtBetaPrev = (float) Math.sqrt(betaProdPrev);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = sqrtAlphaPrev * denoised[i] + sqrtBetaPrev * z[i];
            }
            return out;
        }
    }
}
