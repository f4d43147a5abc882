package io.github.sdm.samplers;

import java.util.OptionalDouble;
import java.util.Set;

/**
 * Euler's method on the probability-flow ODE in sigma (Karras et al. 2022, algorithm 2), diffusers'
 * {@code EulerDiscreteScheduler}; with the step arguments {@code s_churn}, {@code s_tmin}, {@code s_tmax},
 * {@code s_noise} (read from the configuration) it adds noise before each step within the churn range.
 *
 * <p>diffusers draws a noise array in every step even when {@code s_churn = 0} leaves it unused; this sampler draws
 * only when {@code s_churn > 0} (then in every step, like diffusers), so a deterministic run needs no noise source.
 */
public final class EulerSampler extends AbstractSampler {

    /**
     * The diffusers class this sampler mirrors, as a {@code scheduler_config.json}'s {@code _class_name} names it.
     */
    public static final String NAME = "EulerDiscreteScheduler";

    private static final Set<String> FIELDS = Set.of("interpolation_type", "use_karras_sigmas",
            "sigma_min", "sigma_max", "timestep_type", "s_churn", "s_tmin", "s_tmax", "s_noise");

    private final DiscreteSigmaSchedule.Options options;
    private final boolean continuousTimesteps;
    private final double churn;
    private final double churnMinSigma;
    private final double churnMaxSigma;
    private final float churnNoiseScale;

    /**
     * A sampler configured from {@code config}; fields it leaves unset take the diffusers class's defaults.
     *
     * @param config the scheduler configuration (diffusers' field names)
     * @throws SamplerConfigException if a field this sampler reads has the wrong type or an unsupported value (the
     *     message names the field and value)
     */
    public EulerSampler(SamplerConfig config) {
        super(NAME, config, FIELDS, NoiseSchedule.DIFFUSERS_DEFAULTS, NoiseSchedule.ZeroSnr.RESCALE_AND_CLAMP_LAST,
                TimestepSpacing.LINSPACE);
        String interpolation = config.getString("interpolation_type", "linear");
        if (!interpolation.equals("linear") && !interpolation.equals("log_linear")) {
            throw new SamplerConfigException("interpolation_type", interpolation, "must be linear or log_linear");
        }
        OptionalDouble sigmaMin = positive(config, "sigma_min");
        OptionalDouble sigmaMax = positive(config, "sigma_max");
        options = new DiscreteSigmaSchedule.Options(interpolation.equals("log_linear"),
                config.getBoolean("use_karras_sigmas", false), sigmaMin, sigmaMax, true);
        String timestepType = config.getString("timestep_type", "discrete");
        if (!timestepType.equals("discrete") && !timestepType.equals("continuous")) {
            throw new SamplerConfigException("timestep_type", timestepType, "must be discrete or continuous");
        }
        continuousTimesteps = timestepType.equals("continuous") && predictionType == PredictionType.V_PREDICTION;
        churn = config.getDouble("s_churn", 0.0);
        if (!(churn >= 0)) {
            throw new SamplerConfigException("s_churn", churn, "must be zero or positive");
        }
        churnMinSigma = config.getDouble("s_tmin", 0.0);
        churnMaxSigma = config.getDouble("s_tmax", Double.POSITIVE_INFINITY);
        churnNoiseScale = (float) config.getDouble("s_noise", 1.0);
    }

    private static OptionalDouble positive(SamplerConfig config, String field) {
        OptionalDouble value = config.getOptionalDouble(field);
        if (value.isPresent() && !(value.getAsDouble() > 0)) {
            throw new SamplerConfigException(field, value.getAsDouble(), "must be positive");
        }
        return value;
    }

    @Override
    SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise) {
        DiscreteSigmaSchedule schedule =
                DiscreteSigmaSchedule.build(noiseSchedule, inferenceTimesteps, numInferenceSteps, options);
        double[] timesteps = schedule.timesteps;
        if (continuousTimesteps) {
            // the EDM preconditioning of v-prediction models trained on continuous time: t = log(sigma) / 4
            timesteps = new double[schedule.sigmas.length - 1];
            for (int i = 0; i < timesteps.length; i++) {
                timesteps[i] = 0.25f * (float) Math.log(schedule.sigmas[i]);
            }
        }
        return new Run(timesteps, schedule.sigmas, beginIndex, numInferenceSteps, noise);
    }

    private final class Run extends SigmaRun {

        Run(double[] timesteps, float[] sigmas, int begin, int numInferenceSteps, NoiseSource noise) {
            super(timesteps, sigmas, inferenceTimesteps.spacing(), begin, numInferenceSteps, 1, noise);
        }

        @Override
        float[] advance(float[] modelOutput, int index, float[] sample) {
            float sigma = sigmas[index];
            double gamma = churnMinSigma <= sigma && sigma <= churnMaxSigma
                    ? Math.min(churn / (sigmas.length - 1), Math.sqrt(2) - 1) : 0.0;
            float sigmaHat = sigma * (float) (gamma + 1);
            int n = sample.length;
            float[] x = sample;
            if (churn > 0) {
                float[] z = drawNoise(n);
                if (gamma > 0) {
                    float spread = (float) Math.sqrt(sigmaHat * sigmaHat - sigma * sigma);
                    x = new float[n];
                    for (int i = 0; i < n; i++) {
                        x[i] = sample[i] + (z[i] * churnNoiseScale) * spread;
                    }
                }
            }
            // as diffusers: sigma_hat converts an epsilon prediction, the unchurned sigma a v-prediction
            float[] x0 = predictionType.predictedSampleAtSigma(modelOutput, x,
                    predictionType == PredictionType.EPSILON ? sigmaHat : sigma);
            return eulerStep(x, derivative(x, x0, sigmaHat), sigmas[index + 1] - sigmaHat);
        }
    }
}
