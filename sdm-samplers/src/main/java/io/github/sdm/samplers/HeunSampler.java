package io.github.sdm.samplers;

import java.util.Set;

/**
 * Heun's second-order method on the probability-flow ODE in sigma (Karras et al. 2022, algorithm 1), diffusers'
 * {@code HeunDiscreteScheduler}: two model calls per step (an Euler predictor, then the trapezoidal corrector), so its
 * timesteps repeat every one but the first and {@link #order()} is 2. The last step, to sigma 0, is a plain Euler step.
 */
public final class HeunSampler extends AbstractSampler {

    /**
     * The diffusers class this sampler mirrors, as a {@code scheduler_config.json}'s {@code _class_name} names it.
     */
    public static final String NAME = "HeunDiscreteScheduler";

    private static final Set<String> FIELDS = fields(PredictedSampleClipping.CLIP_FIELDS, Set.of("use_karras_sigmas"));

    /** diffusers' HeunDiscreteScheduler defaults: the SD betas, but a linear schedule; also the "exp" schedule. */
    private static final NoiseSchedule.BetaDefaults BETA_DEFAULTS =
            new NoiseSchedule.BetaDefaults(0.00085, 0.012, "linear", true);

    private final PredictedSampleClipping clipping;
    private final boolean karrasSigmas;

    /**
     * A sampler configured from {@code config}; fields it leaves unset take the diffusers class's defaults.
     *
     * @param config the scheduler configuration (diffusers' field names)
     * @throws SamplerConfigException if a field this sampler reads has the wrong type or an unsupported value (the
     *     message names the field and value)
     */
    public HeunSampler(SamplerConfig config) {
        super(NAME, config, FIELDS, BETA_DEFAULTS, NoiseSchedule.ZeroSnr.UNSUPPORTED, TimestepSpacing.LINSPACE);
        clipping = PredictedSampleClipping.read(config, false, false);
        karrasSigmas = config.getBoolean("use_karras_sigmas", false);
    }

    @Override
    public int order() {
        return 2;
    }

    @Override
    SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise) {
        // diffusers keeps Heun's Karras timesteps in float64
        DiscreteSigmaSchedule schedule = DiscreteSigmaSchedule.build(noiseSchedule, inferenceTimesteps,
                numInferenceSteps, DiscreteSigmaSchedule.Options.karras(karrasSigmas, false));
        int n = schedule.timesteps.length;
        double[] timesteps = new double[2 * n - 1];
        float[] sigmas = new float[2 * n];
        timesteps[0] = schedule.timesteps[0];
        sigmas[0] = schedule.sigmas[0];
        for (int i = 1; i < n; i++) {
            timesteps[2 * i - 1] = schedule.timesteps[i];
            timesteps[2 * i] = schedule.timesteps[i];
            sigmas[2 * i - 1] = schedule.sigmas[i];
            sigmas[2 * i] = schedule.sigmas[i];
        }
        sigmas[2 * n - 1] = schedule.sigmas[n];
        return new Run(timesteps, sigmas, beginIndex, numInferenceSteps, noise);
    }

    private final class Run extends SigmaRun {

        /** The Euler predictor's derivative and starting sample, while a corrector call is pending. */
        private float[] predictorDerivative;
        private float[] predictorStart;

        Run(double[] timesteps, float[] sigmas, int begin, int numInferenceSteps, NoiseSource noise) {
            super(timesteps, sigmas, inferenceTimesteps.spacing(), begin, numInferenceSteps, 2, noise);
        }

        @Override
        float[] advance(float[] modelOutput, int index, float[] sample) {
            boolean predictor = predictorDerivative == null;
            float sigma = predictor ? sigmas[index] : sigmas[index - 1];
            float sigmaNext = predictor ? sigmas[index + 1] : sigmas[index];
            float sigmaHat = sigma; // no churn: gamma = 0
            float sigmaInput = predictor ? sigmaHat : sigmaNext;
            float dt = sigmaNext - sigmaHat;
            float[] x0 = predictionType.predictedSampleAtSigma(modelOutput, sample, sigmaInput);
            clipping.apply(x0, batchSize);
            if (predictor) {
                predictorDerivative = derivative(sample, x0, sigmaHat);
                predictorStart = sample.clone();
                return eulerStep(sample, predictorDerivative, dt);
            }
            float[] derivative = derivative(sample, x0, sigmaNext);
            for (int i = 0; i < derivative.length; i++) {
                derivative[i] = (predictorDerivative[i] + derivative[i]) / 2;
            }
            float[] out = eulerStep(predictorStart, derivative, dt);
            predictorDerivative = null;
            predictorStart = null;
            return out;
        }
    }
}
