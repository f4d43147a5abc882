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

    /**
     * The diffusers class this sampler mirrors, as a {@code scheduler_config.json}'s {@code _class_name} names it.
     */
    public static final String NAME = "LMSDiscreteScheduler";

    private static final Set<String> FIELDS = Set.of("use_karras_sigmas", "order");

    private final boolean karrasSigmas;
    private final int maxOrder;

    /**
     * A sampler configured from {@code config}; fields it leaves unset take the diffusers class's defaults.
     *
     * @param config the scheduler configuration (diffusers' field names)
     * @throws SamplerConfigException if a field this sampler reads has the wrong type or an unsupported value (the
     *     message names the field and value)
     */
    public LmsSampler(SamplerConfig config) {
        super(NAME, config, FIELDS, NoiseSchedule.DIFFUSERS_DEFAULTS, NoiseSchedule.ZeroSnr.UNSUPPORTED,
                TimestepSpacing.LINSPACE);
        karrasSigmas = config.getBoolean("use_karras_sigmas", false);
        maxOrder = config.getInt("order", 4);
        if (maxOrder < 1) {
            throw new SamplerConfigException("order", maxOrder, "must be at least 1");
        }
    }

    @Override
    SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise) {
        // diffusers keeps LMS's Karras timesteps in float64
        DiscreteSigmaSchedule schedule = DiscreteSigmaSchedule.build(noiseSchedule, inferenceTimesteps,
                numInferenceSteps, DiscreteSigmaSchedule.Options.karras(karrasSigmas, false));
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

    private final class Run extends SigmaRun {

        /** The most recent derivatives, newest first, at most {@code maxOrder}. */
        private final Deque<float[]> derivatives = new ArrayDeque<>();

        Run(DiscreteSigmaSchedule schedule, int begin, int numInferenceSteps, NoiseSource noise) {
            super(schedule.timesteps, schedule.sigmas, inferenceTimesteps.spacing(), begin, numInferenceSteps, 1,
                    noise);
        }

        @Override
        float[] advance(float[] modelOutput, int index, float[] sample) {
            float sigma = sigmas[index];
            int n = sample.length;
            float[] x0 = predictionType.predictedSampleAtSigma(modelOutput, sample, sigma);
            derivatives.addFirst(derivative(sample, x0, sigma));
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
    }
}
