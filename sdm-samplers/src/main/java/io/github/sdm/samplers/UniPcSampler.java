package io.github.sdm.samplers;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * UniPC (Zhao et al., arXiv 2302.04867), diffusers' {@code UniPCMultistepScheduler}: a multistep predictor (UniP)
 * followed, at the next call, by a corrector (UniC) that reuses the new model output, in the data-prediction
 * ({@code predict_x0}, default) or noise-prediction form, with the B(h) variants {@code bh1} and {@code bh2}.
 */
public final class UniPcSampler extends AbstractSampler {

    public static final String NAME = "UniPCMultistepScheduler";

    private static final Set<String> FIELDS = fields(NoiseSchedule.FIELDS, PredictedSampleClipping.THRESHOLD_FIELDS,
            Set.of("solver_order", "prediction_type", "predict_x0", "solver_type", "lower_order_final",
                    "disable_corrector", "solver_p", "use_karras_sigmas", "timestep_spacing", "steps_offset"));

    private final NoiseSchedule noiseSchedule;
    private final int solverOrder;
    private final PredictionType predictionType;
    private final PredictedSampleClipping thresholding;
    private final boolean predictX0;
    private final boolean bh2;
    private final boolean lowerOrderFinal;
    private final Set<Integer> disabledCorrectorSteps;
    private final boolean karrasSigmas;
    private final TimestepSpacing spacing;
    private final int stepsOffset;

    public UniPcSampler(SamplerConfig config) {
        super(NAME, config, FIELDS);
        noiseSchedule = NoiseSchedule.read(config, NoiseSchedule.DIFFUSERS_DEFAULTS, NoiseSchedule.ZeroSnr.UNSUPPORTED);
        solverOrder = config.getInt("solver_order", 2);
        if (solverOrder < 1 || solverOrder > 3) {
            throw new SamplerConfigException("solver_order", solverOrder, "must be 1, 2 or 3");
        }
        predictionType = PredictionType.read(config);
        thresholding = PredictedSampleClipping.read(config, null, true);
        predictX0 = config.getBoolean("predict_x0", true);
        String solverType = config.getString("solver_type", "bh2");
        switch (solverType) {
            case "bh1":
                bh2 = false;
                break;
            case "bh2":
            case "midpoint":
            case "heun":
            case "logrho":
                // diffusers maps the DPM-Solver names to bh2
                bh2 = true;
                break;
            default:
                throw new SamplerConfigException("solver_type", solverType, "must be bh1 or bh2");
        }
        lowerOrderFinal = config.getBoolean("lower_order_final", true);
        Set<Integer> disabled = new HashSet<>();
        for (int step : config.getIntArray("disable_corrector")) {
            disabled.add(step);
        }
        disabledCorrectorSteps = Set.copyOf(disabled);
        if (config.isSet("solver_p")) {
            throw new SamplerConfigException("solver_p", config.toJson().get("solver_p"),
                    "an external predictor scheduler is not supported");
        }
        karrasSigmas = config.getBoolean("use_karras_sigmas", false);
        spacing = TimestepSpacing.read(config, TimestepSpacing.LINSPACE);
        stepsOffset = InferenceTimesteps.readStepsOffset(config);
    }

    @Override
    int numTrainTimesteps() {
        return noiseSchedule.numTrainTimesteps();
    }

    @Override
    SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise) {
        int numTrain = numTrainTimesteps();
        int[] timesteps = InferenceTimesteps.dpmFamily(spacing, numInferenceSteps, numTrain, numTrain, stepsOffset);
        float[] training = noiseSchedule.trainingSigmas();
        float[] sigmas;
        if (karrasSigmas) {
            float[] logSigmas = ScheduleMath.logs(training);
            double[] karras = ScheduleMath.karrasSigmas(training[0], training[numTrain - 1], numInferenceSteps);
            timesteps = new int[karras.length];
            sigmas = new float[karras.length + 1];
            for (int i = 0; i < karras.length; i++) {
                timesteps[i] = (int) ScheduleMath.round(ScheduleMath.sigmaToTimestep(karras[i], logSigmas));
                sigmas[i] = (float) karras[i];
            }
            sigmas[karras.length] = (float) karras[karras.length - 1];
        } else {
            sigmas = new float[timesteps.length + 1];
            for (int i = 0; i < timesteps.length; i++) {
                sigmas[i] = (float) ScheduleMath.interp(timesteps[i], training);
            }
            sigmas[timesteps.length] = training[0];
        }
        return new Run(timesteps, sigmas, beginIndex, numInferenceSteps, noise);
    }

    private final class Run extends AbstractRun {

        private final float[] sigmas;
        /** Converted model outputs, oldest first; the newest is at {@code solverOrder - 1}. */
        private final float[][] history = new float[solverOrder][];
        private int lowerOrderNums;
        private int lastOrder;
        private float[] lastSample;

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
            boolean useCorrector = index > 0 && !disabledCorrectorSteps.contains(index - 1) && lastSample != null;
            float[] converted = convert(modelOutput, index, sample);
            float[] x = sample;
            if (useCorrector) {
                x = corrector(converted, index, lastSample, sample, lastOrder);
            }
            System.arraycopy(history, 1, history, 0, solverOrder - 1);
            history[solverOrder - 1] = converted;

            int order = lowerOrderFinal ? Math.min(solverOrder, allTimesteps.length - index) : solverOrder;
            lastOrder = Math.min(order, lowerOrderNums + 1); // warm-up
            lastSample = x;
            float[] out = predictor(index, x, lastOrder);
            if (lowerOrderNums < solverOrder) {
                lowerOrderNums++;
            }
            return out;
        }

        private float[] convert(float[] modelOutput, int index, float[] sample) {
            float sigma = sigmas[index];
            float alphaT = ScheduleMath.vpAlpha(sigma);
            float sigmaT = sigma * alphaT;
            int n = sample.length;
            float[] out = new float[n];
            if (predictX0) {
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
            return out;
        }

        /** The B(h) update's scalars: {@code h * phi_1(h)}, {@code B(h)} and the right-hand side of the fit. */
        private final class Coefficients {
            final float hPhi1;
            final float bh;
            final float[][] r;
            final float[] b;

            Coefficients(float h, float[] rks, int order) {
                float hh = predictX0 ? -h : h;
                hPhi1 = (float) Math.expm1(hh);
                float hPhiK = hPhi1 / hh - 1;
                bh = bh2 ? (float) Math.expm1(hh) : hh;
                r = new float[order][order];
                b = new float[order];
                long factorial = 1;
                for (int i = 1; i <= order; i++) {
                    for (int k = 0; k < order; k++) {
                        r[i - 1][k] = power(rks[k], i - 1);
                    }
                    b[i - 1] = hPhiK * factorial / bh;
                    factorial *= i + 1;
                    hPhiK = hPhiK / hh - (float) (1.0 / factorial);
                }
            }
        }

        /** UniP: the predictor from step {@code index} to the next sigma. */
        private float[] predictor(int index, float[] x, int order) {
            float[] m0 = history[solverOrder - 1];
            float alphaT = ScheduleMath.vpAlpha(sigmas[index + 1]);
            float sigmaT = sigmas[index + 1] * alphaT;
            float alphaS0 = ScheduleMath.vpAlpha(sigmas[index]);
            float sigmaS0 = sigmas[index] * alphaS0;
            float lambdaS0 = lambda(alphaS0, sigmaS0);
            float h = lambda(alphaT, sigmaT) - lambdaS0;
            int n = x.length;
            float[] rks = new float[order];
            float[][] d1s = new float[order - 1][];
            for (int i = 1; i < order; i++) {
                float rk = (ScheduleMath.vpLambda(sigmas[index - i]) - lambdaS0) / h;
                rks[i - 1] = rk;
                d1s[i - 1] = differenceOver(history[solverOrder - 1 - i], m0, rk);
            }
            rks[order - 1] = 1.0f;
            Coefficients c = new Coefficients(h, rks, order);
            float[] rhos = null;
            if (order == 2) {
                rhos = new float[] {0.5f};
            } else if (order > 2) {
                rhos = SmallLinearSolver.solve(leading(c.r, order - 1), Arrays.copyOf(c.b, order - 1));
            }
            float skip = predictX0 ? sigmaT / sigmaS0 : alphaT / alphaS0;
            float scale = predictX0 ? alphaT : sigmaT;
            float direct = scale * c.hPhi1;
            float correction = scale * c.bh;
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                float value = skip * x[i] - direct * m0[i];
                if (rhos != null) {
                    value = value - correction * combine(rhos, d1s, i);
                }
                out[i] = value;
            }
            return out;
        }

        /** UniC: corrects {@code thisSample} (reached from {@code last}) with the model output at it. */
        private float[] corrector(float[] modelT, int index, float[] last, float[] thisSample, int order) {
            float[] m0 = history[solverOrder - 1];
            float alphaT = ScheduleMath.vpAlpha(sigmas[index]);
            float sigmaT = sigmas[index] * alphaT;
            float alphaS0 = ScheduleMath.vpAlpha(sigmas[index - 1]);
            float sigmaS0 = sigmas[index - 1] * alphaS0;
            float lambdaS0 = lambda(alphaS0, sigmaS0);
            float h = lambda(alphaT, sigmaT) - lambdaS0;
            int n = thisSample.length;
            float[] rks = new float[order];
            float[][] d1s = new float[order - 1][];
            for (int i = 1; i < order; i++) {
                float rk = (ScheduleMath.vpLambda(sigmas[index - (i + 1)]) - lambdaS0) / h;
                rks[i - 1] = rk;
                d1s[i - 1] = differenceOver(history[solverOrder - 1 - i], m0, rk);
            }
            rks[order - 1] = 1.0f;
            Coefficients c = new Coefficients(h, rks, order);
            float[] rhos = order == 1 ? new float[] {0.5f} : SmallLinearSolver.solve(c.r, c.b);
            float skip = predictX0 ? sigmaT / sigmaS0 : alphaT / alphaS0;
            float scale = predictX0 ? alphaT : sigmaT;
            float direct = scale * c.hPhi1;
            float correction = scale * c.bh;
            float rhoLast = rhos[rhos.length - 1];
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                float base = skip * last[i] - direct * m0[i];
                float d1t = modelT[i] - m0[i];
                float residual = order > 1 ? combine(rhos, d1s, i) + rhoLast * d1t : rhoLast * d1t;
                out[i] = base - correction * residual;
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

    /** {@code sum_k rhos[k] * d1s[k][i]} over the difference terms (the einsum in diffusers). */
    private static float combine(float[] rhos, float[][] d1s, int i) {
        float sum = rhos[0] * d1s[0][i];
        for (int k = 1; k < d1s.length; k++) {
            sum = sum + rhos[k] * d1s[k][i];
        }
        return sum;
    }

    private static float[] differenceOver(float[] mi, float[] m0, float rk) {
        float[] out = new float[m0.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (mi[i] - m0[i]) / rk;
        }
        return out;
    }

    private static float[][] leading(float[][] m, int size) {
        float[][] out = new float[size][];
        for (int i = 0; i < size; i++) {
            out[i] = Arrays.copyOf(m[i], size);
        }
        return out;
    }

    /** {@code torch.pow} with a small integer exponent, multiplied out in float32. */
    private static float power(float x, int exponent) {
        float out = 1f;
        for (int i = 0; i < exponent; i++) {
            out = i == 0 ? x : out * x;
        }
        return out;
    }

    private static float lambda(float alpha, float sigma) {
        return (float) Math.log(alpha) - (float) Math.log(sigma);
    }
}
