package io.github.sdm.samplers;

import java.util.Set;

/**
 * DPM-Solver and DPM-Solver++ multistep (Lu et al., arXiv 2206.00927 and 2211.01095), diffusers'
 * {@code DPMSolverMultistepScheduler}: orders 1 to 3, in the data-prediction ({@code dpmsolver++}) or
 * noise-prediction ({@code dpmsolver}) form, deterministic or SDE ({@code sde-dpmsolver++}, {@code sde-dpmsolver},
 * which draw one noise array per step), with midpoint or Heun second-order updates, Karras or uniform-log-sigma
 * ({@code use_lu_lambdas}) schedules, lower-order final steps and {@code final_sigmas_type}.
 */
public final class DpmSolverMultistepSampler extends AbstractSampler {

    /**
     * The diffusers class this sampler mirrors, as a {@code scheduler_config.json}'s {@code _class_name} names it.
     */
    public static final String NAME = "DPMSolverMultistepScheduler";

    private static final Set<String> FIELDS = fields(PredictedSampleClipping.THRESHOLD_FIELDS,
            Set.of("solver_order", "algorithm_type", "solver_type", "lower_order_final", "euler_at_final",
                    "use_karras_sigmas", "use_lu_lambdas", "final_sigmas_type", "lambda_min_clipped",
                    "variance_type"));

    private enum Algorithm {
        DPMSOLVER("dpmsolver", false, false),
        DPMSOLVER_PP("dpmsolver++", true, false),
        SDE_DPMSOLVER("sde-dpmsolver", false, true),
        SDE_DPMSOLVER_PP("sde-dpmsolver++", true, true);

        final String configName;
        final boolean dataPrediction;
        final boolean stochastic;

        Algorithm(String configName, boolean dataPrediction, boolean stochastic) {
            this.configName = configName;
            this.dataPrediction = dataPrediction;
            this.stochastic = stochastic;
        }
    }

    private final int solverOrder;
    private final PredictedSampleClipping thresholding;
    private final Algorithm algorithm;
    private final boolean midpoint;
    private final boolean lowerOrderFinal;
    private final boolean eulerAtFinal;
    private final boolean karrasSigmas;
    private final boolean luLambdas;
    private final boolean finalSigmaZero;
    private final int lastTimestep;

    /**
     * A sampler configured from {@code config}; fields it leaves unset take the diffusers class's defaults.
     *
     * @param config the scheduler configuration (diffusers' field names)
     * @throws SamplerConfigException if a field this sampler reads has the wrong type or an unsupported value (the
     *     message names the field and value)
     */
    public DpmSolverMultistepSampler(SamplerConfig config) {
        super(NAME, config, FIELDS, NoiseSchedule.DIFFUSERS_DEFAULTS, NoiseSchedule.ZeroSnr.RESCALE_AND_CLAMP_LAST,
                TimestepSpacing.LINSPACE);
        solverOrder = MultistepRun.readSolverOrder(config);
        thresholding = PredictedSampleClipping.read(config, null, true);
        algorithm = readAlgorithm(config);
        if (algorithm.stochastic && solverOrder == 3) {
            throw new SamplerConfigException("solver_order", solverOrder,
                    "the third-order update has no SDE form; use 1 or 2 with " + algorithm.configName);
        }
        String solverType = config.getString("solver_type", "midpoint");
        switch (solverType) {
            case "midpoint":
            case "logrho":
            case "bh1":
            case "bh2":
                // diffusers maps the other solvers' names to midpoint
                midpoint = true;
                break;
            case "heun":
                midpoint = false;
                break;
            default:
                throw new SamplerConfigException("solver_type", solverType, "must be midpoint or heun");
        }
        lowerOrderFinal = config.getBoolean("lower_order_final", true);
        eulerAtFinal = config.getBoolean("euler_at_final", false);
        karrasSigmas = config.getBoolean("use_karras_sigmas", false);
        luLambdas = config.getBoolean("use_lu_lambdas", false);
        String finalSigmas = config.getString("final_sigmas_type", "zero");
        switch (finalSigmas) {
            case "zero":
                if (!algorithm.dataPrediction) {
                    throw new SamplerConfigException("final_sigmas_type", finalSigmas,
                            "is not supported by algorithm_type " + algorithm.configName + "; use sigma_min");
                }
                finalSigmaZero = true;
                break;
            case "sigma_min":
                finalSigmaZero = false;
                break;
            default:
                throw new SamplerConfigException("final_sigmas_type", finalSigmas, "must be zero or sigma_min");
        }
        if (config.isSet("variance_type")) {
            String varianceType = config.getString("variance_type", null);
            throw new SamplerConfigException("variance_type", varianceType,
                    "learned variance (a model output with extra variance channels) is not supported");
        }
        lastTimestep = lastTimestep(config.getDouble("lambda_min_clipped", Double.NEGATIVE_INFINITY));
    }

    private static Algorithm readAlgorithm(SamplerConfig config) {
        String value = config.getString("algorithm_type", "dpmsolver++");
        if (value.equals("deis")) {
            return Algorithm.DPMSOLVER_PP; // diffusers' own mapping
        }
        for (Algorithm a : Algorithm.values()) {
            if (a.configName.equals(value)) {
                return a;
            }
        }
        throw new SamplerConfigException("algorithm_type", value,
                "must be one of dpmsolver++, sde-dpmsolver++, dpmsolver, sde-dpmsolver");
    }

    /** {@code num_train_timesteps} minus the count of timesteps whose log-SNR is below {@code lambda_min_clipped}. */
    private int lastTimestep(double lambdaMinClipped) {
        int n = numTrainTimesteps();
        int clipped = 0;
        // lambda decreases with t; searchsorted on the flipped (ascending) table counts the values below the bound
        for (int t = n - 1; t >= 0; t--) {
            float a = noiseSchedule.alphaCumprod(t);
            // from alphas_cumprod as diffusers' lambda_t table; ScheduleMath.vpLambda of the sigma rounds differently
            float lambda = (float) Math.log((float) Math.sqrt(a)) - (float) Math.log((float) Math.sqrt(1f - a));
            if (lambda < lambdaMinClipped) {
                clipped++;
            } else {
                break;
            }
        }
        if (n - clipped < 1) {
            throw new SamplerConfigException("lambda_min_clipped", lambdaMinClipped, "clips every timestep");
        }
        return n - clipped;
    }

    @Override
    SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise) {
        int[] timesteps = inferenceTimesteps.dpmFamily(numInferenceSteps, lastTimestep, numTrainTimesteps());
        float[] training = noiseSchedule.trainingSigmas();
        double[] sigmas;
        if (karrasSigmas || luLambdas) {
            float[] logSigmas = ScheduleMath.logs(training);
            sigmas = karrasSigmas
                    ? ScheduleMath.karrasSigmas(training[0], training[training.length - 1], numInferenceSteps)
                    : uniformLogSigmas(logSigmas[0], logSigmas[logSigmas.length - 1], numInferenceSteps);
            timesteps = ScheduleMath.roundedTimesteps(sigmas, logSigmas);
        } else {
            sigmas = ScheduleMath.interp(InferenceTimesteps.toDouble(timesteps), training);
        }
        float[] runSigmas = ScheduleMath.float32WithFinal(sigmas, finalSigmaZero ? 0f : training[0]);
        return new Run(timesteps, runSigmas, beginIndex, numInferenceSteps, noise);
    }

    /** diffusers' {@code _convert_to_lu}: log-sigmas evenly spaced from the largest to the smallest, exponentiated. */
    private static double[] uniformLogSigmas(double logSigmaMin, double logSigmaMax, int n) {
        double[] ramp = ScheduleMath.numpyLinspace(0, 1, n, true);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.exp(logSigmaMax + ramp[i] * (logSigmaMin - logSigmaMax));
        }
        return out;
    }

    private final class Run extends MultistepRun {

        Run(int[] timesteps, float[] sigmas, int begin, int numInferenceSteps, NoiseSource noise) {
            super(timesteps, sigmas, solverOrder, begin, numInferenceSteps, noise);
        }

        @Override
        float[] advance(float[] modelOutput, int index, float[] sample) {
            int count = allTimesteps.length;
            boolean finalLowerOrder = index == count - 1
                    && (eulerAtFinal || (lowerOrderFinal && count < 15) || finalSigmaZero);
            boolean secondLowerOrder = index == count - 2 && lowerOrderFinal && count < 15;

            remember(convert(modelOutput, index, sample));

            float[] z = algorithm.stochastic ? drawNoise(sample.length) : null;
            float[] out;
            if (solverOrder == 1 || lowerOrderNums < 1 || finalLowerOrder) {
                out = firstOrder(index, sample, z);
            } else if (solverOrder == 2 || lowerOrderNums < 2 || secondLowerOrder) {
                out = secondOrder(index, sample, z);
            } else {
                out = thirdOrder(index, sample);
            }
            warmUp();
            return out;
        }

        /** The data prediction x0 (DPM-Solver++) or noise prediction (DPM-Solver) the updates integrate. */
        private float[] convert(float[] modelOutput, int index, float[] sample) {
            float alphaT = alphaAt(index);
            float sigmaT = sigmaAt(index);
            if (algorithm.dataPrediction) {
                float[] x0 = predictionType.predictedSample(modelOutput, sample, alphaT, sigmaT);
                thresholding.apply(x0, batchSize);
                return x0;
            }
            float[] eps = predictionType.predictedNoise(modelOutput, sample, alphaT, sigmaT);
            if (!thresholding.isIdentity()) {
                float[] x0 = PredictionType.EPSILON.predictedSample(eps, sample, alphaT, sigmaT);
                thresholding.apply(x0, batchSize);
                eps = PredictionType.SAMPLE.predictedNoise(x0, sample, alphaT, sigmaT);
            }
            return eps;
        }

        /**
         * The first-order update from {@code index} to the next sigma; the higher orders add their difference terms
         * to it.
         */
        private FirstOrderUpdate firstOrderUpdate(int index) {
            float alphaT = alphaAt(index + 1);
            float sigmaT = sigmaAt(index + 1);
            float alphaS = alphaAt(index);
            float sigmaS = sigmaAt(index);
            float h = lambdaAt(index + 1) - lambdaAt(index);
            return switch (algorithm) {
                case DPMSOLVER_PP -> new FirstOrderUpdate(sigmaT / sigmaS, alphaT * (exp(-h) - 1.0f), true, 0f);
                case DPMSOLVER -> new FirstOrderUpdate(alphaT / alphaS, sigmaT * (exp(h) - 1.0f), true, 0f);
                case SDE_DPMSOLVER_PP -> new FirstOrderUpdate(sigmaT / sigmaS * exp(-h),
                        alphaT * (1 - exp(-2.0f * h)), false, sigmaT * sqrt(1.0f - exp(-2 * h)));
                case SDE_DPMSOLVER -> new FirstOrderUpdate(alphaT / alphaS, 2.0f * (sigmaT * (exp(h) - 1.0f)), true,
                        sigmaT * sqrt(exp(2 * h) - 1.0f));
            };
        }

        private float[] firstOrder(int index, float[] sample, float[] z) {
            FirstOrderUpdate update = firstOrderUpdate(index);
            float[] m0 = newest(0);
            float[] out = new float[sample.length];
            for (int i = 0; i < out.length; i++) {
                float x = update.apply(sample[i], m0[i]);
                if (z != null) {
                    x = x + update.noise() * z[i];
                }
                out[i] = x;
            }
            return out;
        }

        private float[] secondOrder(int index, float[] sample, float[] z) {
            FirstOrderUpdate update = firstOrderUpdate(index);
            float alphaT = alphaAt(index + 1);
            float sigmaT = sigmaAt(index + 1);
            float lambdaT = lambdaAt(index + 1);
            float lambdaS0 = lambdaAt(index);
            float lambdaS1 = lambdaAt(index - 1);
            float[] m0 = newest(0);
            float[] m1 = newest(1);
            float h = lambdaT - lambdaS0;
            float h0 = lambdaS0 - lambdaS1;
            float r0 = h0 / h;
            float invR0 = 1.0f / r0;
            float c;
            boolean minusC;
            switch (algorithm) {
                case DPMSOLVER_PP:
                    if (midpoint) {
                        c = 0.5f * (alphaT * (exp(-h) - 1.0f));
                        minusC = true;
                    } else {
                        c = alphaT * ((exp(-h) - 1.0f) / h + 1.0f);
                        minusC = false;
                    }
                    break;
                case DPMSOLVER:
                    c = midpoint ? 0.5f * (sigmaT * (exp(h) - 1.0f)) : sigmaT * ((exp(h) - 1.0f) / h - 1.0f);
                    minusC = true;
                    break;
                case SDE_DPMSOLVER_PP:
                    c = midpoint ? 0.5f * (alphaT * (1 - exp(-2.0f * h)))
                            : alphaT * ((1.0f - exp(-2.0f * h)) / (-2.0f * h) + 1.0f);
                    minusC = false;
                    break;
                case SDE_DPMSOLVER:
                    c = midpoint ? sigmaT * (exp(h) - 1.0f) : 2.0f * (sigmaT * ((exp(h) - 1.0f) / h - 1.0f));
                    minusC = true;
                    break;
                default:
                    throw new AssertionError(algorithm);
            }
            float[] out = new float[sample.length];
            for (int i = 0; i < out.length; i++) {
                float d1 = invR0 * (m0[i] - m1[i]);
                float x = update.apply(sample[i], m0[i]);
                x = minusC ? x - c * d1 : x + c * d1;
                if (z != null) {
                    x = x + update.noise() * z[i];
                }
                out[i] = x;
            }
            return out;
        }

        private float[] thirdOrder(int index, float[] sample) {
            FirstOrderUpdate update = firstOrderUpdate(index);
            float alphaT = alphaAt(index + 1);
            float sigmaT = sigmaAt(index + 1);
            float lambdaT = lambdaAt(index + 1);
            float lambdaS0 = lambdaAt(index);
            float lambdaS1 = lambdaAt(index - 1);
            float lambdaS2 = lambdaAt(index - 2);
            float[] m0 = newest(0);
            float[] m1 = newest(1);
            float[] m2 = newest(2);
            float h = lambdaT - lambdaS0;
            float h0 = lambdaS0 - lambdaS1;
            float h1 = lambdaS1 - lambdaS2;
            float r0 = h0 / h;
            float r1 = h1 / h;
            float invR0 = 1.0f / r0;
            float invR1 = 1.0f / r1;
            float d1Weight = r0 / (r0 + r1);
            float d2Weight = 1.0f / (r0 + r1);
            // no SDE form: DPM-Solver++ or DPM-Solver
            boolean dataPrediction = algorithm.dataPrediction;
            float c = dataPrediction
                    ? alphaT * ((exp(-h) - 1.0f) / h + 1.0f)
                    : sigmaT * ((exp(h) - 1.0f) / h - 1.0f);
            float e = dataPrediction
                    ? alphaT * ((exp(-h) - 1.0f + h) / (h * h) - 0.5f)
                    : sigmaT * ((exp(h) - 1.0f - h) / (h * h) - 0.5f);
            float[] out = new float[sample.length];
            for (int i = 0; i < out.length; i++) {
                float d10 = invR0 * (m0[i] - m1[i]);
                float d11 = invR1 * (m1[i] - m2[i]);
                float d1 = d10 + d1Weight * (d10 - d11);
                float d2 = d2Weight * (d10 - d11);
                float x = update.apply(sample[i], m0[i]);
                out[i] = (dataPrediction ? x + c * d1 : x - c * d1) - e * d2;
            }
            return out;
        }
    }

    /** {@code a * x - b * m0} (or {@code + b * m0}), plus {@code noise * z} in the SDE forms. */
    private record FirstOrderUpdate(float a, float b, boolean minusB, float noise) {

        float apply(float x, float m0) {
            float ax = a * x;
            return minusB ? ax - b * m0 : ax + b * m0;
        }
    }

    private static float exp(float x) {
        return (float) Math.exp(x);
    }

    private static float sqrt(float x) {
        return (float) Math.sqrt(x);
    }
}
