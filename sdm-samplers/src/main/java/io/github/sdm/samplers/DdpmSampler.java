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

    /**
     * The diffusers class this sampler mirrors, as a {@code scheduler_config.json}'s {@code _class_name} names it.
     */
    public static final String NAME = "DDPMScheduler";

    private static final Set<String> FIELDS = fields(PredictedSampleClipping.CLIP_FIELDS,
            PredictedSampleClipping.THRESHOLD_FIELDS, Set.of("variance_type"));

    private enum Variance { FIXED_SMALL, FIXED_SMALL_LOG, FIXED_LARGE }

    private final Variance variance;
    private final PredictedSampleClipping clipping;

    /**
     * A sampler configured from {@code config}; fields it leaves unset take the diffusers class's defaults.
     *
     * @param config the scheduler configuration (diffusers' field names)
     * @throws SamplerConfigException if a field this sampler reads has the wrong type or an unsupported value (the
     *     message names the field and value)
     */
    public DdpmSampler(SamplerConfig config) {
        super(NAME, config, FIELDS, NoiseSchedule.DIFFUSERS_DEFAULTS, NoiseSchedule.ZeroSnr.RESCALE,
                TimestepSpacing.LEADING);
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
        clipping = PredictedSampleClipping.read(config, true, true);
    }

    @Override
    SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise) {
        int[] timesteps = inferenceTimesteps.ddimFamily(numInferenceSteps, numTrainTimesteps());
        return new Run(timesteps, beginIndex, numInferenceSteps, noise);
    }

    private final class Run extends AlphaCumprodRun {

        Run(int[] timesteps, int begin, int numInferenceSteps, NoiseSource noise) {
            // diffusers' DDPM has no set_alpha_to_one: 1 before timestep 0
            super(timesteps, noiseSchedule, 1.0f, begin, numInferenceSteps, noise);
        }

        @Override
        float[] advance(float[] modelOutput, int index, float[] sample) {
            int t = timesteps[index];
            int prev = t - stride;
            float alphaProd = alphaCumprod(t);
            float alphaProdPrev = alphaCumprod(prev);
            float betaProd = 1 - alphaProd;
            float betaProdPrev = 1 - alphaProdPrev;
            float currentAlpha = alphaProd / alphaProdPrev;
            float currentBeta = 1 - currentAlpha;
            float sqrtAlpha = (float) Math.sqrt(alphaProd);
            float sqrtBeta = (float) Math.sqrt(betaProd);
            int n = sample.length;
            float[] x0 = predictionType.predictedSample(modelOutput, sample, sqrtAlpha, sqrtBeta);
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
    }
}
