package io.github.sdm.samplers;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Set;

/**
 * The linear multistep method (k-diffusion's {@code sample_lms}), diffusers' {@code LMSDiscreteScheduler}: the ODE
 * derivative is extrapolated through the last {@code order} (default 4, the step argument {@code order} read from the
 * configuration) derivatives with Lagrange polynomials in sigma whose integrals over the step are the coefficients.
 * diffusers integrates them with {@code scipy.integrate.quad}; here an adaptive Gauss-Kronrod rule does, to 1e-12.
 */
public final class LmsSampler extends AbstractSampler {

    public static final String NAME = "LMSDiscreteScheduler";

    private static final Set<String> FIELDS = fields(NoiseSchedule.FIELDS,
            Set.of("use_karras_sigmas", "prediction_type", "timestep_spacing", "steps_offset", "order"));

    private final NoiseSchedule noiseSchedule;
    private final PredictionType predictionType;
    private final TimestepSpacing spacing;
    private final int stepsOffset;
    private final boolean karrasSigmas;
    private final int maxOrder;

    public LmsSampler(SamplerConfig config) {
        super(NAME, config, FIELDS);
        noiseSchedule = NoiseSchedule.read(config, NoiseSchedule.DIFFUSERS_DEFAULTS, NoiseSchedule.ZeroSnr.UNSUPPORTED);
        predictionType = PredictionType.read(config);
        spacing = TimestepSpacing.read(config, TimestepSpacing.LINSPACE);
        stepsOffset = InferenceTimesteps.readStepsOffset(config);
        karrasSigmas = config.getBoolean("use_karras_sigmas", false);
        maxOrder = config.getInt("order", 4);
        if (maxOrder < 1) {
            throw new SamplerConfigException("order", maxOrder, "must be at least 1");
        }
    }

    @Override
    int numTrainTimesteps() {
        return noiseSchedule.numTrainTimesteps();
    }

    @Override
    SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise) {
        // diffusers keeps LMS's Karras timesteps in float64
        DiscreteSigmaSchedule schedule = DiscreteSigmaSchedule.build(noiseSchedule, spacing, numInferenceSteps,
                stepsOffset, DiscreteSigmaSchedule.Options.karras(karrasSigmas, false));
        return new Run(schedule, beginIndex, numInferenceSteps, noise);
    }

    /** The integral over [sigma_t, sigma_t+1] of the Lagrange basis polynomial of node {@code t - current}. */
    static double coefficient(float[] sigmas, int order, int t, int current) {
        double[] nodes = new double[order];
        for (int k = 0; k < order; k++) {
            nodes[k] = sigmas[t - k];
        }
        return AdaptiveGaussKronrod.integrate(tau -> {
            double product = 1.0;
            for (int k = 0; k < order; k++) {
                if (k != current) {
                    product *= (tau - nodes[k]) / (nodes[current] - nodes[k]);
                }
            }
            return product;
        }, sigmas[t], sigmas[t + 1], 1e-12);
    }

    private final class Run extends AbstractRun {

        private final float[] sigmas;
        /** The most recent derivatives, newest first, at most {@code maxOrder}. */
        private final Deque<float[]> derivatives = new ArrayDeque<>();

        Run(DiscreteSigmaSchedule schedule, int begin, int numInferenceSteps, NoiseSource noise) {
            super(schedule.timesteps, begin, numInferenceSteps, 1, noise);
            this.sigmas = schedule.sigmas;
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
            float sigma = sigmas[index];
            float vScale = -sigma / (float) Math.sqrt(sigma * sigma + 1f);
            float vSkip = sigma * sigma + 1f;
            int n = sample.length;
            float[] derivative = new float[n];
            for (int i = 0; i < n; i++) {
                float x0;
                switch (predictionType) {
                    case EPSILON:
                        x0 = sample[i] - sigma * modelOutput[i];
                        break;
                    case V_PREDICTION:
                        x0 = modelOutput[i] * vScale + sample[i] / vSkip;
                        break;
                    default:
                        x0 = modelOutput[i];
                        break;
                }
                derivative[i] = (sample[i] - x0) / sigma;
            }
            derivatives.addFirst(derivative);
            if (derivatives.size() > maxOrder) {
                derivatives.removeLast();
            }
            // as diffusers: the order follows the global step index, and only as many coefficients are used as
            // derivatives exist (fewer after an img2img start)
            int order = Math.min(index + 1, maxOrder);
            float[] sum = null;
            Iterator<float[]> newestFirst = derivatives.iterator();
            for (int k = 0; k < order && newestFirst.hasNext(); k++) {
                float c = (float) coefficient(sigmas, order, index, k);
                float[] d = newestFirst.next();
                if (sum == null) {
                    sum = new float[n];
                    for (int i = 0; i < n; i++) {
                        sum[i] = c * d[i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        sum[i] = sum[i] + c * d[i];
                    }
                }
            }
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = sample[i] + sum[i];
            }
            return out;
        }

        @Override
        float[] noised(float[] original, float[] noise, int index) {
            return noisedBySigma(original, noise, sigmas[index]);
        }
    }
}
