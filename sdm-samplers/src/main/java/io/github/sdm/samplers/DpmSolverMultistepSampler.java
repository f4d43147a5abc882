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

    public static final String NAME = "DPMSolverMultistepScheduler";

    private static final Set<String> FIELDS = fields(NoiseSchedule.FIELDS, PredictedSampleClipping.THRESHOLD_FIELDS,
            Set.of("solver_order", "prediction_type", "algorithm_type", "solver_type", "lower_order_final",
                    "euler_at_final", "use_karras_sigmas", "use_lu_lambdas", "final_sigmas_type",
                    "lambda_min_clipped", "variance_type", "timestep_spacing", "steps_offset",
                    "rescale_betas_zero_snr"));

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

    private final NoiseSchedule noiseSchedule;
    private final int solverOrder;
    private final PredictionType predictionType;
    private final PredictedSampleClipping thresholding;
    private final Algorithm algorithm;
    private final boolean midpoint;
    private final boolean lowerOrderFinal;
    private final boolean eulerAtFinal;
    private final boolean karrasSigmas;
    private final boolean luLambdas;
    private final boolean finalSigmaZero;
    private final int lastTimestep;
    private final TimestepSpacing spacing;
    private final int stepsOffset;

    public DpmSolverMultistepSampler(SamplerConfig config) {
        super(NAME, config, FIELDS);
        noiseSchedule = NoiseSchedule.read(config, NoiseSchedule.DIFFUSERS_DEFAULTS,
                NoiseSchedule.ZeroSnr.RESCALE_AND_CLAMP_LAST);
        solverOrder = config.getInt("solver_order", 2);
        if (solverOrder < 1 || solverOrder > 3) {
            throw new SamplerConfigException("solver_order", solverOrder, "must be 1, 2 or 3");
        }
        predictionType = PredictionType.read(config);
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
        spacing = TimestepSpacing.read(config, TimestepSpacing.LINSPACE);
        stepsOffset = InferenceTimesteps.readStepsOffset(config);
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
        int n = noiseSchedule.numTrainTimesteps();
        int clipped = 0;
        // lambda decreases with t; searchsorted on the flipped (ascending) table counts the values below the bound
        for (int t = n - 1; t >= 0; t--) {
            float a = noiseSchedule.alphaCumprod(t);
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
    int numTrainTimesteps() {
        return noiseSchedule.numTrainTimesteps();
    }

    @Override
    SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise) {
        int[] timesteps = InferenceTimesteps.dpmFamily(spacing, numInferenceSteps, lastTimestep, numTrainTimesteps(),
                stepsOffset);
        float[] training = noiseSchedule.trainingSigmas();
        double[] sigmas;
        if (karrasSigmas || luLambdas) {
            float[] logSigmas = ScheduleMath.logs(training);
            if (karrasSigmas) {
                sigmas = ScheduleMath.karrasSigmas(training[0], training[training.length - 1], numInferenceSteps);
            } else {
                sigmas = uniformLogSigmas(logSigmas[0], logSigmas[logSigmas.length - 1], numInferenceSteps);
            }
            timesteps = new int[sigmas.length];
            for (int i = 0; i < sigmas.length; i++) {
                timesteps[i] = (int) ScheduleMath.round(ScheduleMath.sigmaToTimestep(sigmas[i], logSigmas));
            }
        } else {
            sigmas = new double[timesteps.length];
            for (int i = 0; i < sigmas.length; i++) {
                sigmas[i] = ScheduleMath.interp(timesteps[i], training);
            }
        }
        float[] runSigmas = new float[sigmas.length + 1];
        for (int i = 0; i < sigmas.length; i++) {
            runSigmas[i] = (float) sigmas[i];
        }
        runSigmas[sigmas.length] = finalSigmaZero ? 0f : training[0];
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

    private final class Run extends AbstractRun {

        private final float[] sigmas;
        /** Converted model outputs, oldest first; the newest is at {@code solverOrder - 1}. */
        private final float[][] history = new float[solverOrder][];
        private int lowerOrderNums;

        Run(int[] timesteps, float[] sigmas, int begin, int numInferenceSteps, NoiseSource noise) {
            super(InferenceTimesteps.toDouble(timesteps), begin, numInferenceSteps, 1, noise);
            this.sigmas = sigmas;
        }

        @Override
        float[] sigmas() {
            return sigmas.clone();
        }

        @Override
        public float initNoiseSigma() {
            return 1.0f;
        }

        @Override
        float[] advance(float[] modelOutput, int index, float[] sample) {
            int count = allTimesteps.length;
            boolean finalLowerOrder = index == count - 1
                    && (eulerAtFinal || (lowerOrderFinal && count < 15) || finalSigmaZero);
            boolean secondLowerOrder = index == count - 2 && lowerOrderFinal && count < 15;

            float[] converted = convert(modelOutput, index, sample);
            System.arraycopy(history, 1, history, 0, solverOrder - 1);
            history[solverOrder - 1] = converted;

            float[] z = algorithm.stochastic ? drawNoise(sample.length) : null;
            float[] out;
            if (solverOrder == 1 || lowerOrderNums < 1 || finalLowerOrder) {
                out = firstOrder(converted, index, sample, z);
            } else if (solverOrder == 2 || lowerOrderNums < 2 || secondLowerOrder) {
                out = secondOrder(index, sample, z);
            } else {
                out = thirdOrder(index, sample);
            }
            if (lowerOrderNums < solverOrder) {
                lowerOrderNums++;
            }
            return out;
        }

        /** The data prediction x0 (DPM-Solver++) or noise prediction (DPM-Solver) the updates integrate. */
        private float[] convert(float[] modelOutput, int index, float[] sample) {
            float sigma = sigmas[index];
            float alphaT = ScheduleMath.vpAlpha(sigma);
            float sigmaT = sigma * alphaT;
            int n = sample.length;
            float[] out = new float[n];
            if (algorithm.dataPrediction) {
                switch (predictionType) {
                    case EPSILON:
                        for (int i = 0; i < n; i++) {
                            out[i] = (sample[i] - sigmaT * modelOutput[i]) / alphaT;
                        }
                        break;
                    case SAMPLE:
                        System.arraycopy(modelOutput, 0, out, 0, n);
                        break;
                    case V_PREDICTION:
                        for (int i = 0; i < n; i++) {
                            out[i] = alphaT * sample[i] - sigmaT * modelOutput[i];
                        }
                        break;
                    default:
                        throw new AssertionError(predictionType);
                }
                thresholding.apply(out, batchSize);
                return out;
            }
            switch (predictionType) {
                case EPSILON:
                    System.arraycopy(modelOutput, 0, out, 0, n);
                    break;
                case SAMPLE:
                    for (int i = 0; i < n; i++) {
                        out[i] = (sample[i] - alphaT * modelOutput[i]) / sigmaT;
                    }
                    break;
                case V_PREDICTION:
                    for (int i = 0; i < n; i++) {
                        out[i] = alphaT * modelOutput[i] + sigmaT * sample[i];
                    }
                    break;
                default:
                    throw new AssertionError(predictionType);
            }
            if (!thresholding.isIdentity()) {
                float[] x0 = new float[n];
                for (int i = 0; i < n; i++) {
                    x0[i] = (sample[i] - sigmaT * out[i]) / alphaT;
                }
                thresholding.apply(x0, batchSize);
                for (int i = 0; i < n; i++) {
                    out[i] = (sample[i] - alphaT * x0[i]) / sigmaT;
                }
            }
            return out;
        }

        private float[] firstOrder(float[] m0, int index, float[] sample, float[] z) {
            float sigmaNext = sigmas[index + 1];
            float sigmaNow = sigmas[index];
            float alphaT = ScheduleMath.vpAlpha(sigmaNext);
            float sigmaT = sigmaNext * alphaT;
            float alphaS = ScheduleMath.vpAlpha(sigmaNow);
            float sigmaS = sigmaNow * alphaS;
            float h = lambda(alphaT, sigmaT) - lambda(alphaS, sigmaS);
            int n = sample.length;
            float[] out = new float[n];
            switch (algorithm) {
                case DPMSOLVER_PP: {
                    float a = sigmaT / sigmaS;
                    float b = alphaT * (exp(-h) - 1.0f);
                    for (int i = 0; i < n; i++) {
                        out[i] = a * sample[i] - b * m0[i];
                    }
                    break;
                }
                case DPMSOLVER: {
                    float a = alphaT / alphaS;
                    float b = sigmaT * (exp(h) - 1.0f);
                    for (int i = 0; i < n; i++) {
                        out[i] = a * sample[i] - b * m0[i];
                    }
                    break;
                }
                case SDE_DPMSOLVER_PP: {
                    float a = sigmaT / sigmaS * exp(-h);
                    float b = alphaT * (1 - exp(-2.0f * h));
                    float c = sigmaT * sqrt(1.0f - exp(-2 * h));
                    for (int i = 0; i < n; i++) {
                        out[i] = a * sample[i] + b * m0[i] + c * z[i];
                    }
                    break;
                }
                case SDE_DPMSOLVER: {
                    float a = alphaT / alphaS;
                    float b = 2.0f * (sigmaT * (exp(h) - 1.0f));
                    float c = sigmaT * sqrt(exp(2 * h) - 1.0f);
                    for (int i = 0; i < n; i++) {
                        out[i] = a * sample[i] - b * m0[i] + c * z[i];
                    }
                    break;
                }
                default:
                    throw new AssertionError(algorithm);
            }
            return out;
        }

        private float[] secondOrder(int index, float[] sample, float[] z) {
            float alphaT = ScheduleMath.vpAlpha(sigmas[index + 1]);
            float sigmaT = sigmas[index + 1] * alphaT;
            float alphaS0 = ScheduleMath.vpAlpha(sigmas[index]);
            float sigmaS0 = sigmas[index] * alphaS0;
            float alphaS1 = ScheduleMath.vpAlpha(sigmas[index - 1]);
            float sigmaS1 = sigmas[index - 1] * alphaS1;
            float lambdaT = lambda(alphaT, sigmaT);
            float lambdaS0 = lambda(alphaS0, sigmaS0);
            float lambdaS1 = lambda(alphaS1, sigmaS1);
            float[] m0 = history[solverOrder - 1];
            float[] m1 = history[solverOrder - 2];
            float h = lambdaT - lambdaS0;
            float h0 = lambdaS0 - lambdaS1;
            float r0 = h0 / h;
            float invR0 = 1.0f / r0;
            int n = sample.length;
            float[] out = new float[n];
            float a;
            float b;
            float c;
            float d = 0f;
            boolean minusB;
            boolean minusC;
            switch (algorithm) {
                case DPMSOLVER_PP:
                    a = sigmaT / sigmaS0;
                    b = alphaT * (exp(-h) - 1.0f);
                    minusB = true;
                    if (midpoint) {
                        c = 0.5f * (alphaT * (exp(-h) - 1.0f));
                        minusC = true;
                    } else {
                        c = alphaT * ((exp(-h) - 1.0f) / h + 1.0f);
                        minusC = false;
                    }
                    break;
                case DPMSOLVER:
                    a = alphaT / alphaS0;
                    b = sigmaT * (exp(h) - 1.0f);
                    minusB = true;
                    c = midpoint ? 0.5f * (sigmaT * (exp(h) - 1.0f)) : sigmaT * ((exp(h) - 1.0f) / h - 1.0f);
                    minusC = true;
                    break;
                case SDE_DPMSOLVER_PP:
                    a = sigmaT / sigmaS0 * exp(-h);
                    b = alphaT * (1 - exp(-2.0f * h));
                    minusB = false;
                    c = midpoint ? 0.5f * (alphaT * (1 - exp(-2.0f * h)))
                            : alphaT * ((1.0f - exp(-2.0f * h)) / (-2.0f * h) + 1.0f);
                    minusC = false;
                    d = sigmaT * sqrt(1.0f - exp(-2 * h));
                    break;
                case SDE_DPMSOLVER:
                    a = alphaT / alphaS0;
                    b = 2.0f * (sigmaT * (exp(h) - 1.0f));
                    minusB = true;
                    c = midpoint ? sigmaT * (exp(h) - 1.0f) : 2.0f * (sigmaT * ((exp(h) - 1.0f) / h - 1.0f));
                    minusC = true;
                    d = sigmaT * sqrt(exp(2 * h) - 1.0f);
                    break;
                default:
                    throw new AssertionError(algorithm);
            }
            for (int i = 0; i < n; i++) {
                float d1 = invR0 * (m0[i] - m1[i]);
                float x = a * sample[i];
                x = minusB ? x - b * m0[i] : x + b * m0[i];
                x = minusC ? x - c * d1 : x + c * d1;
                if (z != null) {
                    x = x + d * z[i];
                }
                out[i] = x;
            }
            return out;
        }

        private float[] thirdOrder(int index, float[] sample) {
            float alphaT = ScheduleMath.vpAlpha(sigmas[index + 1]);
            float sigmaT = sigmas[index + 1] * alphaT;
            float alphaS0 = ScheduleMath.vpAlpha(sigmas[index]);
            float sigmaS0 = sigmas[index] * alphaS0;
            float alphaS1 = ScheduleMath.vpAlpha(sigmas[index - 1]);
            float sigmaS1 = sigmas[index - 1] * alphaS1;
            float alphaS2 = ScheduleMath.vpAlpha(sigmas[index - 2]);
            float sigmaS2 = sigmas[index - 2] * alphaS2;
            float lambdaT = lambda(alphaT, sigmaT);
            float lambdaS0 = lambda(alphaS0, sigmaS0);
            float lambdaS1 = lambda(alphaS1, sigmaS1);
            float lambdaS2 = lambda(alphaS2, sigmaS2);
            float[] m0 = history[solverOrder - 1];
            float[] m1 = history[solverOrder - 2];
            float[] m2 = history[solverOrder - 3];
            float h = lambdaT - lambdaS0;
            float h0 = lambdaS0 - lambdaS1;
            float h1 = lambdaS1 - lambdaS2;
            float r0 = h0 / h;
            float r1 = h1 / h;
            float invR0 = 1.0f / r0;
            float invR1 = 1.0f / r1;
            float d1Weight = r0 / (r0 + r1);
            float d2Weight = 1.0f / (r0 + r1);
            float a;
            float b;
            float c;
            float e;
            boolean dataPrediction = algorithm == Algorithm.DPMSOLVER_PP;
            if (dataPrediction) {
                a = sigmaT / sigmaS0;
                b = alphaT * (exp(-h) - 1.0f);
                c = alphaT * ((exp(-h) - 1.0f) / h + 1.0f);
                e = alphaT * ((exp(-h) - 1.0f + h) / (h * h) - 0.5f);
            } else {
                a = alphaT / alphaS0;
                b = sigmaT * (exp(h) - 1.0f);
                c = sigmaT * ((exp(h) - 1.0f) / h - 1.0f);
                e = sigmaT * ((exp(h) - 1.0f - h) / (h * h) - 0.5f);
            }
            int n = sample.length;
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                float d10 = invR0 * (m0[i] - m1[i]);
                float d11 = invR1 * (m1[i] - m2[i]);
                float d1 = d10 + d1Weight * (d10 - d11);
                float d2 = d2Weight * (d10 - d11);
                out[i] = dataPrediction
                        ? a * sample[i] - b * m0[i] + c * d1 - e * d2
                        : a * sample[i] - b * m0[i] - c * d1 - e * d2;
            }
            return out;
        }

        @Override
        float[] noised(float[] original, float[] noise, int index) {
            float alphaT = ScheduleMath.vpAlpha(sigmas[index]);
            float sigmaT = sigmas[index] * alphaT;
            float[] out = new float[original.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = alphaT * original[i] + sigmaT * noise[i];
            }
            return out;
        }
    }

    private static float lambda(float alpha, float sigma) {
        return (float) Math.log(alpha) - (float) Math.log(sigma);
    }

    private static float exp(float x) {
        return (float) Math.exp(x);
    }

    private static float sqrt(float x) {
        return (float) Math.sqrt(x);
    }
}
