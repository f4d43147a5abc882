package io.github.sdm.samplers;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * UniPC (Zhao et al., arXiv 2302.04867), diffusers' {@code UniPCMultistepScheduler}: a multistep predictor (UniP)
 * followed, at the next call, by a corrector (UniC) that reuses the new model output, in the data-prediction
 * ({@code predict_x0}, default) or noise-prediction form, with the B(h) variants {@code bh1} and {@code bh2}.
 */
public final class UniPcSampler extends AbstractSampler {

    /**
     * The diffusers class this sampler mirrors, as a {@code scheduler_config.json}'s {@code _class_name} names it.
     */
    public static final String NAME = "UniPCMultistepScheduler";

    private static final Set<String> FIELDS = fields(PredictedSampleClipping.THRESHOLD_FIELDS,
            Set.of("solver_order", "predict_x0", "solver_type", "lower_order_final", "disable_corrector", "solver_p",
                    "use_karras_sigmas"));

    private final int solverOrder;
    private final PredictedSampleClipping thresholding;
    private final boolean predictX0;
    private final boolean bh2;
    private final boolean lowerOrderFinal;
    private final Set<Integer> disabledCorrectorSteps;
    private final boolean karrasSigmas;

    /**
     * A sampler configured from {@code config}; fields it leaves unset take the diffusers class's defaults.
     *
     * @param config the scheduler configuration (diffusers' field names)
     * @throws SamplerConfigException if a field this sampler reads has the wrong type or an unsupported value (the
     *     message names the field and value)
     */
    public UniPcSampler(SamplerConfig config) {
        super(NAME, config, FIELDS, NoiseSchedule.DIFFUSERS_DEFAULTS, NoiseSchedule.ZeroSnr.UNSUPPORTED,
                TimestepSpacing.LINSPACE);
        solverOrder = MultistepRun.readSolverOrder(config);
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
        disabledCorrectorSteps = Arrays.stream(config.getIntArray("disable_corrector")).boxed()
                .collect(Collectors.toUnmodifiableSet());
        if (config.isSet("solver_p")) {
            throw new SamplerConfigException("solver_p", config.toJson().get("solver_p"),
                    "an external predictor scheduler is not supported");
        }
        karrasSigmas = config.getBoolean("use_karras_sigmas", false);
    }

    @Override
    SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise) {
        int numTrain = numTrainTimesteps();
        int[] timesteps = inferenceTimesteps.dpmFamily(numInferenceSteps, numTrain, numTrain);
        float[] training = noiseSchedule.trainingSigmas();
        double[] sigmas;
        float finalSigma;
        if (karrasSigmas) {
            sigmas = ScheduleMath.karrasSigmas(training[0], training[numTrain - 1], numInferenceSteps);
            timesteps = ScheduleMath.roundedTimesteps(sigmas, ScheduleMath.logs(training));
            finalSigma = (float) sigmas[sigmas.length - 1]; // diffusers' UniPC repeats the last Karras sigma
        } else {
            sigmas = ScheduleMath.interp(InferenceTimesteps.toDouble(timesteps), training);
            finalSigma = training[0];
        }
        return new Run(timesteps, ScheduleMath.float32WithFinal(sigmas, finalSigma), beginIndex, numInferenceSteps,
                noise);
    }

    private final class Run extends MultistepRun {

        private int lastOrder;
        private float[] lastSample;

        Run(int[] timesteps, float[] sigmas, int begin, int numInferenceSteps, NoiseSource noise) {
            super(timesteps, sigmas, solverOrder, begin, numInferenceSteps, noise);
        }

        @Override
        float[] advance(float[] modelOutput, int index, float[] sample) {
            boolean useCorrector = index > 0 && !disabledCorrectorSteps.contains(index - 1) && lastSample != null;
            float[] converted = convert(modelOutput, index, sample);
            float[] x = sample;
            if (useCorrector) {
                x = corrector(converted, index, lastSample, lastOrder);
            }
            remember(converted);

            int order = lowerOrderFinal ? Math.min(solverOrder, allTimesteps.length - index) : solverOrder;
            lastOrder = Math.min(order, lowerOrderNums + 1); // warm-up
            lastSample = x;
            float[] out = predictor(index, x, lastOrder);
            warmUp();
            return out;
        }

        private float[] convert(float[] modelOutput, int index, float[] sample) {
            float alphaT = alphaAt(index);
            float sigmaT = sigmaAt(index);
            if (predictX0) {
                float[] x0 = predictionType.predictedSample(modelOutput, sample, alphaT, sigmaT);
                thresholding.apply(x0, batchSize);
                return x0;
            }
            // unlike DPM-Solver, diffusers' UniPC does not threshold a noise prediction
            return predictionType.predictedNoise(modelOutput, sample, alphaT, sigmaT);
        }

        /**
         * What UniP and UniC share: the B(h) update of the given order from {@code sigmas[s0]} to
         * {@code sigmas[s0 + 1]}, {@code skip * x - direct * m0 - correction * sum_k rho_k D1_k}, with the difference
         * terms {@code D1_k} of the older outputs and the system {@code r rho = b} that fits the {@code rho_k}.
         */
        private final class BhUpdate {
            final float[] m0;
            final float[][] d1s;
            final float[][] r;
            final float[] b;
            final float skip;
            final float direct;
            final float correction;

            BhUpdate(int s0, int order) {
                m0 = newest(0);
                float alphaT = alphaAt(s0 + 1);
                float sigmaT = sigmaAt(s0 + 1);
                float alphaS0 = alphaAt(s0);
                float sigmaS0 = sigmaAt(s0);
                float lambdaS0 = lambdaAt(s0);
                float h = lambdaAt(s0 + 1) - lambdaS0;
                float[] rks = new float[order];
                d1s = new float[order - 1][];
                for (int i = 1; i < order; i++) {
                    float rk = (lambdaAt(s0 - i) - lambdaS0) / h;
                    rks[i - 1] = rk;
                    d1s[i - 1] = differenceOver(newest(i), m0, rk);
                }
                rks[order - 1] = 1.0f;

                float hh = predictX0 ? -h : h;
                // torch.expm1, where DPM-Solver computes exp(h) - 1: the last bits differ
                float hPhi1 = (float) Math.expm1(hh);
                float hPhiK = hPhi1 / hh - 1;
                float bh = bh2 ? (float) Math.expm1(hh) : hh;
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
                float scale = predictX0 ? alphaT : sigmaT;
                skip = predictX0 ? sigmaT / sigmaS0 : alphaT / alphaS0;
                direct = scale * hPhi1;
                correction = scale * bh;
            }

            /** {@code skip * x - direct * m0} at element {@code i}. */
            float base(float[] x, int i) {
                return skip * x[i] - direct * m0[i];
            }
        }

        /** UniP: the predictor from step {@code index} to the next sigma. */
        private float[] predictor(int index, float[] x, int order) {
            BhUpdate update = new BhUpdate(index, order);
            float[] rhos = null;
            if (order == 2) {
                rhos = new float[] {0.5f};
            } else if (order > 2) {
                rhos = SmallLinearSolver.solve(leading(update.r, order - 1), Arrays.copyOf(update.b, order - 1));
            }
            float[] out = new float[x.length];
            for (int i = 0; i < out.length; i++) {
                float value = update.base(x, i);
                if (rhos != null) {
                    value = value - update.correction * combine(rhos, update.d1s, i);
                }
                out[i] = value;
            }
            return out;
        }

        /**
         * UniC: corrects the sample reached from {@code last} with {@code modelT}, the converted model output at it
         * (not yet in the history).
         */
        private float[] corrector(float[] modelT, int index, float[] last, int order) {
            BhUpdate update = new BhUpdate(index - 1, order);
            float[] rhos = order == 1 ? new float[] {0.5f} : SmallLinearSolver.solve(update.r, update.b);
            float rhoLast = rhos[rhos.length - 1];
            float[] out = new float[last.length];
            for (int i = 0; i < out.length; i++) {
                float d1t = modelT[i] - update.m0[i];
                float residual = order > 1 ? combine(rhos, update.d1s, i) + rhoLast * d1t : rhoLast * d1t;
                out[i] = update.base(last, i) - update.correction * residual;
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
            out = out * x; // 1 * x is exact
        }
        return out;
    }
}
