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

    public static final String NAME = "DDIMScheduler";

    private static final Set<String> FIELDS = fields(NoiseSchedule.FIELDS, PredictedSampleClipping.CLIP_FIELDS,
            PredictedSampleClipping.THRESHOLD_FIELDS, Set.of("set_alpha_to_one", "steps_offset", "prediction_type",
                    "timestep_spacing", "rescale_betas_zero_snr", "eta", "use_clipped_model_output"));

    private final NoiseSchedule schedule;
    private final float finalAlphaCumprod;
    private final TimestepSpacing spacing;
    private final int stepsOffset;
    private final PredictionType predictionType;
    private final PredictedSampleClipping clipping;
    private final float eta;
    private final boolean useClippedModelOutput;

    public DdimSampler(SamplerConfig config) {
        super(NAME, config, FIELDS);
        schedule = NoiseSchedule.read(config, NoiseSchedule.DIFFUSERS_DEFAULTS, NoiseSchedule.ZeroSnr.RESCALE);
        finalAlphaCumprod = config.getBoolean("set_alpha_to_one", true) ? 1.0f : schedule.alphaCumprod(0);
        spacing = TimestepSpacing.read(config, TimestepSpacing.LEADING);
        stepsOffset = InferenceTimesteps.readStepsOffset(config);
        predictionType = PredictionType.read(config);
        clipping = PredictedSampleClipping.read(config, true, true);
        double etaValue = config.getDouble("eta", 0.0);
        if (!(etaValue >= 0)) {
            throw new SamplerConfigException("eta", etaValue, "must be zero or positive");
        }
        eta = (float) etaValue;
        useClippedModelOutput = config.getBoolean("use_clipped_model_output", false);
    }

    @Override
    int numTrainTimesteps() {
        return schedule.numTrainTimesteps();
    }

    @Override
    SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise) {
        int[] timesteps = InferenceTimesteps.ddimFamily(spacing, numInferenceSteps, numTrainTimesteps(), stepsOffset);
        return new Run(timesteps, beginIndex, numInferenceSteps, noise);
    }

    private final class Run extends AbstractRun {

        private final int[] timesteps;
        private final int stride;

        Run(int[] timesteps, int begin, int numInferenceSteps, NoiseSource noise) {
            super(InferenceTimesteps.toDouble(timesteps), begin, numInferenceSteps, 1, noise);
            this.timesteps = timesteps;
            this.stride = numTrainTimesteps() / numInferenceSteps;
        }

        @Override
        public float initNoiseSigma() {
            return 1.0f;
        }

        @Override
        float[] advance(float[] modelOutput, int index, float[] sample) {
            int t = timesteps[index];
            int prev = t - stride;
            float alphaProd = schedule.alphaCumprod(t);
            float alphaProdPrev = prev >= 0 ? schedule.alphaCumprod(prev) : finalAlphaCumprod;
            float betaProd = 1f - alphaProd;
            float sqrtAlpha = (float) Math.sqrt(alphaProd);
            float sqrtBeta = (float) Math.sqrt(betaProd);
            int n = sample.length;

            float[] x0 = new float[n];
            float[] eps = new float[n];
            switch (predictionType) {
                case EPSILON:
                    for (int i = 0; i < n; i++) {
                        x0[i] = (sample[i] - sqrtBeta * modelOutput[i]) / sqrtAlpha;
                        eps[i] = modelOutput[i];
                    }
                    break;
                case SAMPLE:
                    for (int i = 0; i < n; i++) {
                        x0[i] = modelOutput[i];
                        eps[i] = (sample[i] - sqrtAlpha * x0[i]) / sqrtBeta;
                    }
                    break;
                case V_PREDICTION:
                    for (int i = 0; i < n; i++) {
                        x0[i] = sqrtAlpha * sample[i] - sqrtBeta * modelOutput[i];
                        eps[i] = sqrtAlpha * modelOutput[i] + sqrtBeta * sample[i];
                    }
                    break;
                default:
                    throw new AssertionError(predictionType);
            }
            clipping.apply(x0, batchSize);

            float variance = ((1f - alphaProdPrev) / betaProd) * (1f - alphaProd / alphaProdPrev);
            float stdDev = eta * (float) Math.sqrt(variance);
            if (useClippedModelOutput) {
                for (int i = 0; i < n; i++) {
                    eps[i] = (sample[i] - sqrtAlpha * x0[i]) / sqrtBeta;
                }
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

        @Override
        float[] noised(float[] original, float[] noise, int index) {
            return noisedByAlphaCumprod(original, noise, schedule.alphaCumprod(timesteps[index]));
        }
    }
}
