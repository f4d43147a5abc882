package io.github.sdm.samplers;

import java.util.Set;

/**
 * Heun's second-order method on the probability-flow ODE in sigma (Karras et al. 2022, algorithm 1), diffusers'
 * {@code HeunDiscreteScheduler}: two model calls per step (an Euler predictor, then the trapezoidal corrector), so its
 * timesteps repeat every one but the first and {@link #order()} is 2. The last step, to sigma 0, is a plain Euler step.
 */
public final class HeunSampler extends AbstractSampler {

    public static final String NAME = "HeunDiscreteScheduler";

    private static final Set<String> FIELDS = fields(NoiseSchedule.FIELDS, PredictedSampleClipping.CLIP_FIELDS,
            Set.of("prediction_type", "use_karras_sigmas", "timestep_spacing", "steps_offset"));

    /** diffusers' HeunDiscreteScheduler defaults: the SD betas, but a linear schedule; also the "exp" schedule. */
    private static final NoiseSchedule.BetaDefaults BETA_DEFAULTS =
            new NoiseSchedule.BetaDefaults(0.00085, 0.012, "linear", true);

    private final NoiseSchedule noiseSchedule;
    private final PredictionType predictionType;
    private final PredictedSampleClipping clipping;
    private final TimestepSpacing spacing;
    private final int stepsOffset;
    private final boolean karrasSigmas;

    public HeunSampler(SamplerConfig config) {
        super(NAME, config, FIELDS);
        noiseSchedule = NoiseSchedule.read(config, BETA_DEFAULTS, NoiseSchedule.ZeroSnr.UNSUPPORTED);
        predictionType = PredictionType.read(config);
        clipping = PredictedSampleClipping.read(config, false, false);
        spacing = TimestepSpacing.read(config, TimestepSpacing.LINSPACE);
        stepsOffset = InferenceTimesteps.readStepsOffset(config);
        karrasSigmas = config.getBoolean("use_karras_sigmas", false);
    }

    @Override
    public int order() {
        return 2;
    }

    @Override
    int numTrainTimesteps() {
        return noiseSchedule.numTrainTimesteps();
    }

    @Override
    SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise) {
        // diffusers keeps Heun's Karras timesteps in float64
        DiscreteSigmaSchedule schedule = DiscreteSigmaSchedule.build(noiseSchedule, spacing, numInferenceSteps,
                stepsOffset, DiscreteSigmaSchedule.Options.karras(karrasSigmas, false));
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

    private final class Run extends AbstractRun {

        private final float[] sigmas;
        /** The Euler predictor's derivative, step size and starting sample, while a corrector call is pending. */
        private float[] predictorDerivative;
        private float predictorDt;
        private float[] predictorStart;

        Run(double[] timesteps, float[] sigmas, int begin, int numInferenceSteps, NoiseSource noise) {
            super(timesteps, begin, numInferenceSteps, 2, noise);
            this.sigmas = sigmas;
        }

        @Override
        float[] sigmas() {
            return sigmas.clone();
        }

        @Override
        public float initNoiseSigma() {
            return DiscreteSigmaSchedule.initNoiseSigma(sigmas, spacing);
        }

        @Override
        float[] scale(float[] sample, int index) {
            return scaledBySigma(sample, sigmas[index]);
        }

        @Override
        float[] advance(float[] modelOutput, int index, float[] sample) {
            boolean predictor = predictorDerivative == null;
            float sigma = predictor ? sigmas[index] : sigmas[index - 1];
            float sigmaNext = predictor ? sigmas[index + 1] : sigmas[index];
            float sigmaHat = sigma; // no churn: gamma = 0
            float sigmaInput = predictor ? sigmaHat : sigmaNext;
            int n = sample.length;
            float[] x0 = new float[n];
            float vScale = -sigmaInput / (float) Math.sqrt(sigmaInput * sigmaInput + 1f);
            float vSkip = sigmaInput * sigmaInput + 1f;
            for (int i = 0; i < n; i++) {
                switch (predictionType) {
                    case EPSILON:
                        x0[i] = sample[i] - sigmaInput * modelOutput[i];
                        break;
                    case V_PREDICTION:
                        x0[i] = modelOutput[i] * vScale + sample[i] / vSkip;
                        break;
                    default:
                        x0[i] = modelOutput[i];
                        break;
                }
            }
            clipping.apply(x0, batchSize);
            float[] out = new float[n];
            if (predictor) {
                float dt = sigmaNext - sigmaHat;
                float[] derivative = new float[n];
                for (int i = 0; i < n; i++) {
                    derivative[i] = (sample[i] - x0[i]) / sigmaHat;
                    out[i] = sample[i] + derivative[i] * dt;
                }
                predictorDerivative = derivative;
                predictorDt = dt;
                predictorStart = sample.clone();
            } else {
                for (int i = 0; i < n; i++) {
                    float derivative = (sample[i] - x0[i]) / sigmaNext;
                    derivative = (predictorDerivative[i] + derivative) / 2;
                    out[i] = predictorStart[i] + derivative * predictorDt;
                }
                predictorDerivative = null;
                predictorStart = null;
            }
            return out;
        }

        @Override
        float[] noised(float[] original, float[] noise, int index) {
            return noisedBySigma(original, noise, sigmas[index]);
        }
    }
}
