package io.github.sdm.samplers;

import java.util.Set;

/**
 * The ancestral DDPM sampler (Ho et al., arXiv 2006.11239), diffusers' {@code DDPMScheduler}: the posterior mean plus
 * fresh noise of the posterior's standard deviation, one noise array per step except at timestep 0.
 *
 * <p>{@code variance_type} may be {@code fixed_small} (default), {@code fixed_small_log} or {@code fixed_large}. The
 * learned variants need a model that also predicts variance and are refused, as is {@code fixed_large_log}, for which
 * diffusers takes the square root of a log-variance and produces NaN.
 */
public final class DdpmSampler extends AbstractSampler {

    public static final String NAME = "DDPMScheduler";

    private static final Set<String> FIELDS = fields(NoiseSchedule.FIELDS, PredictedSampleClipping.CLIP_FIELDS,
            PredictedSampleClipping.THRESHOLD_FIELDS, Set.of("variance_type", "prediction_type", "timestep_spacing",
                    "steps_offset", "rescale_betas_zero_snr"));

    private enum Variance { FIXED_SMALL, FIXED_SMALL_LOG, FIXED_LARGE }

    private final NoiseSchedule noiseSchedule;
    private final Variance variance;
    private final PredictionType predictionType;
    private final PredictedSampleClipping clipping;
    private final TimestepSpacing spacing;
    private final int stepsOffset;

    public DdpmSampler(SamplerConfig config) {
        super(NAME, config, FIELDS);
        noiseSchedule = NoiseSchedule.read(config, NoiseSchedule.DIFFUSERS_DEFAULTS, NoiseSchedule.ZeroSnr.RESCALE);
        String varianceType = config.getString("variance_type", "fixed_small");
        switch (varianceType) {
            case "fixed_small":
                variance = Variance.FIXED_SMALL;
                break;
            case "fixed_small_log":
                variance = Variance.FIXED_SMALL_LOG;
                break;
            case "fixed_large":
                variance = Variance.FIXED_LARGE;
                break;
            case "learned":
            case "learned_range":
                throw new SamplerConfigException("variance_type", varianceType,
                        "learned variance (a model output with extra variance channels) is not supported");
            case "fixed_large_log":
                throw new SamplerConfigException("variance_type", varianceType,
                        "is not supported: diffusers takes the square root of this log-variance and produces NaN");
            default:
                throw new SamplerConfigException("variance_type", varianceType,
                        "must be one of fixed_small, fixed_small_log, fixed_large");
        }
        predictionType = PredictionType.read(config);
        clipping = PredictedSampleClipping.read(config, true, true);
        spacing = TimestepSpacing.read(config, TimestepSpacing.LEADING);
        stepsOffset = InferenceTimesteps.readStepsOffset(config);
    }

    @Override
    int numTrainTimesteps() {
        return noiseSchedule.numTrainTimesteps();
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
            float alphaProd = noiseSchedule.alphaCumprod(t);
            float alphaProdPrev = prev >= 0 ? noiseSchedule.alphaCumprod(prev) : 1.0f;
            float betaProd = 1 - alphaProd;
            float betaProdPrev = 1 - alphaProdPrev;
            float currentAlpha = alphaProd / alphaProdPrev;
            float currentBeta = 1 - currentAlpha;
            float sqrtAlpha = (float) Math.sqrt(alphaProd);
            float sqrtBeta = (float) Math.sqrt(betaProd);
            int n = sample.length;
            float[] x0 = new float[n];
            for (int i = 0; i < n; i++) {
                switch (predictionType) {
                    case EPSILON:
                        x0[i] = (sample[i] - sqrtBeta * modelOutput[i]) / sqrtAlpha;
                        break;
                    case V_PREDICTION:
                        x0[i] = sqrtAlpha * sample[i] - sqrtBeta * modelOutput[i];
                        break;
                    default:
                        x0[i] = modelOutput[i];
                        break;
                }
            }
            clipping.apply(x0, batchSize);
            // formula (7) of the DDPM paper: the posterior mean
            float x0Coeff = ((float) Math.sqrt(alphaProdPrev) * currentBeta) / betaProd;
            float sampleCoeff = (float) Math.sqrt(currentAlpha) * betaProdPrev / betaProd;
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = x0Coeff * x0[i] + sampleCoeff * sample[i];
            }
            if (t > 0) {
                float[] z = drawNoise(n);
                float std = standardDeviation(alphaProd, alphaProdPrev, currentBeta);
                for (int i = 0; i < n; i++) {
                    out[i] = out[i] + std * z[i];
                }
            }
            return out;
        }

        private float standardDeviation(float alphaProd, float alphaProdPrev, float currentBeta) {
            float posteriorVariance = Math.max((1 - alphaProdPrev) / (1 - alphaProd) * currentBeta, 1e-20f);
            switch (variance) {
                case FIXED_SMALL:
                    return (float) Math.sqrt(posteriorVariance);
                case FIXED_SMALL_LOG:
                    return (float) Math.exp(0.5f * (float) Math.log(posteriorVariance));
                case FIXED_LARGE:
                    return (float) Math.sqrt(currentBeta);
                default:
                    throw new AssertionError(variance);
            }
        }

        @Override
        float[] noised(float[] original, float[] noise, int index) {
            return noisedByAlphaCumprod(original, noise, noiseSchedule.alphaCumprod(timesteps[index]));
        }
    }
}
