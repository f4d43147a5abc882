package io.github.sdm.samplers;

import java.util.Set;

/**
 * DDIM (Song et al., arXiv 2010.02502), diffusers' {@code DDIMScheduler}: the deterministic implicit sampler, or with
 * {@code eta > 0} a stochastic one that draws one noise array per step. The step arguments {@code eta} and
 * {@code use_clipped_model_output} are read from the configuration.
 *
 * <p>As in diffusers, the previous timestep is always {@code t - num_train_timesteps // steps}, whatever the spacing.
 */
public final class DdimSampler extends AbstractSampler {

    /**
     * The diffusers class this sampler mirrors, as a {@code scheduler_config.json}'s {@code _class_name} names it.
     */
    public static final String NAME = "DDIMScheduler";

    private static final Set<String> FIELDS = fields(PredictedSampleClipping.CLIP_FIELDS,
            PredictedSampleClipping.THRESHOLD_FIELDS, Set.of("set_alpha_to_one", "eta", "use_clipped_model_output"));

    private final float finalAlphaCumprod;
    private final PredictedSampleClipping clipping;
    private final float eta;
    private final boolean useClippedModelOutput;

    /**
     * A sampler configured from {@code config}; fields it leaves unset take the diffusers class's defaults.
     *
     * @param config the scheduler configuration (diffusers' field names)
     * @throws SamplerConfigException if a field this sampler reads has the wrong type or an unsupported value (the
     *     message names the field and value)
     */
    public DdimSampler(SamplerConfig config) {
        super(NAME, config, FIELDS, NoiseSchedule.DIFFUSERS_DEFAULTS, NoiseSchedule.ZeroSnr.RESCALE,
                TimestepSpacing.LEADING);
        finalAlphaCumprod = config.getBoolean("set_alpha_to_one", true) ? 1.0f : noiseSchedule.alphaCumprod(0);
        clipping = PredictedSampleClipping.read(config, true, true);
        double etaValue = config.getDouble("eta", 0.0);
        if (!(etaValue >= 0)) {
            throw new SamplerConfigException("eta", etaValue, "must be zero or positive");
        }
        eta = (float) etaValue;
        useClippedModelOutput = config.getBoolean("use_clipped_model_output", false);
    }

    @Override
    SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise) {
        int[] timesteps = inferenceTimesteps.ddimFamily(numInferenceSteps, numTrainTimesteps());
        return new Run(timesteps, beginIndex, numInferenceSteps, noise);
    }

    private final class Run extends AlphaCumprodRun {

        Run(int[] timesteps, int begin, int numInferenceSteps, NoiseSource noise) {
            super(timesteps, noiseSchedule, finalAlphaCumprod, begin, numInferenceSteps, noise);
        }

        @Override
        float[] advance(float[] modelOutput, int index, float[] sample) {
            int t = timesteps[index];
            int prev = t - stride;
            float alphaProd = alphaCumprod(t);
            float alphaProdPrev = alphaCumprod(prev);
            float betaProd = 1f - alphaProd;
            float sqrtAlpha = (float) Math.sqrt(alphaProd);
            float sqrtBeta = (float) Math.sqrt(betaProd);
            int n = sample.length;
            float[] x0 = predictionType.predictedSample(modelOutput, sample, sqrtAlpha, sqrtBeta);
            float[] eps = predictionType.predictedNoise(modelOutput, sample, sqrtAlpha, sqrtBeta);
            clipping.apply(x0, batchSize);

            float variance = ((1f - alphaProdPrev) / betaProd) * (1f - alphaProd / alphaProdPrev);
            float stdDev = eta * (float) Math.sqrt(variance);
            if (useClippedModelOutput) {
                eps = PredictionType.SAMPLE.predictedNoise(x0, sample, sqrtAlpha, sqrtBeta);
            }
            float directionCoeff = (float) Math.sqrt(1f - alphaProdPrev - stdDev * stdDev);
            float sqrtAlphaPrev = (float) Math.sqrt(alphaProdPrev);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = sqrtAlphaPrev * x0[i] + directionCoeff * eps[i];
            }
            if (eta > 0) {
                float[] z = drawNoise(n);
                for (int i = 0; i < n; i++) {
                    out[i] = out[i] + stdDev * z[i];
                }
            }
            return out;
        }
    }
}
