package io.github.sdm.samplers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Pseudo numerical methods (Liu et al., arXiv 2202.09778), diffusers' {@code PNDMScheduler}: three Runge-Kutta
 * warm-up steps of four model calls each (PRK), then linear multistep PLMS; with {@code skip_prk_steps} (Stable
 * Diffusion's setting) PLMS starts at once, spending one extra model call on its second step.
 */
public final class PndmSampler extends AbstractSampler {

    public static final String NAME = "PNDMScheduler";

    private static final Set<String> FIELDS = fields(NoiseSchedule.FIELDS,
            Set.of("skip_prk_steps", "set_alpha_to_one", "prediction_type", "timestep_spacing", "steps_offset"));

    /** Runge-Kutta warm-up steps, as diffusers' {@code pndm_order}. */
    private static final int PRK_STEPS = 4;

    private final NoiseSchedule noiseSchedule;
    private final boolean skipPrkSteps;
    private final float finalAlphaCumprod;
    private final PredictionType predictionType;
    private final TimestepSpacing spacing;
    private final int stepsOffset;

    public PndmSampler(SamplerConfig config) {
        super(NAME, config, FIELDS);
        noiseSchedule = NoiseSchedule.read(config, NoiseSchedule.DIFFUSERS_DEFAULTS, NoiseSchedule.ZeroSnr.UNSUPPORTED);
        skipPrkSteps = config.getBoolean("skip_prk_steps", false);
        finalAlphaCumprod = config.getBoolean("set_alpha_to_one", false) ? 1.0f : noiseSchedule.alphaCumprod(0);
        predictionType = PredictionType.read(config);
        if (predictionType == PredictionType.SAMPLE) {
            throw new SamplerConfigException("prediction_type", "sample",
                    "is not supported by " + NAME + "; use epsilon or v_prediction");
        }
        spacing = TimestepSpacing.read(config, TimestepSpacing.LEADING);
        stepsOffset = InferenceTimesteps.readStepsOffset(config);
    }

    @Override
    int numTrainTimesteps() {
        return noiseSchedule.numTrainTimesteps();
    }

    @Override
    SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise) {
        if (!skipPrkSteps && numInferenceSteps < PRK_STEPS) {
            throw new SamplerConfigException("num_inference_steps", numInferenceSteps,
                    "PNDM's Runge-Kutta warm-up needs at least " + PRK_STEPS + " steps (or set skip_prk_steps)");
        }
        // ascending, as diffusers' _timesteps
        int[] base = InferenceTimesteps.ddimFamily(spacing, numInferenceSteps, numTrainTimesteps(), stepsOffset);
        int n = base.length;
        int[] ascending = new int[n];
        for (int i = 0; i < n; i++) {
            ascending[i] = base[n - 1 - i];
        }
        List<Integer> prk = new ArrayList<>();
        List<Integer> plms = new ArrayList<>();
        if (skipPrkSteps) {
            // _timesteps[:-1], then _timesteps[-2] again, then _timesteps[-1], reversed
            List<Integer> forward = new ArrayList<>();
            for (int i = 0; i < n - 1; i++) {
                forward.add(ascending[i]);
            }
            if (n >= 2) {
                forward.add(ascending[n - 2]);
            }
            forward.add(ascending[n - 1]);
            for (int i = forward.size() - 1; i >= 0; i--) {
                plms.add(forward.get(i));
            }
        } else {
            int half = numTrainTimesteps() / numInferenceSteps / 2;
            List<Integer> pairs = new ArrayList<>();
            for (int i = n - PRK_STEPS; i < n; i++) {
                pairs.add(ascending[i]);
                pairs.add(ascending[i] + half);
            }
            pairs.remove(pairs.size() - 1);
            List<Integer> doubled = new ArrayList<>();
            for (int t : pairs) {
                doubled.add(t);
                doubled.add(t);
            }
            List<Integer> trimmed = doubled.subList(1, doubled.size() - 1);
            for (int i = trimmed.size() - 1; i >= 0; i--) {
                prk.add(trimmed.get(i));
            }
            for (int i = n - PRK_STEPS; i >= 0; i--) {
                plms.add(ascending[i]);
            }
        }
        int[] timesteps = new int[prk.size() + plms.size()];
        for (int i = 0; i < prk.size(); i++) {
            timesteps[i] = prk.get(i);
        }
        for (int i = 0; i < plms.size(); i++) {
            timesteps[prk.size() + i] = plms.get(i);
        }
        return new Run(timesteps, prk.size(), beginIndex, numInferenceSteps, noise);
    }

    private final class Run extends AbstractRun {

        private final int[] timesteps;
        private final int prkCalls;
        private final int stride;
        /** Model calls handled so far (diffusers' {@code counter}). */
        private int counter;
        private final List<float[]> ets = new ArrayList<>();
        private float[] rungeKuttaSum;
        private float[] heldSample;

        Run(int[] timesteps, int prkCalls, int begin, int numInferenceSteps, NoiseSource noise) {
            super(InferenceTimesteps.toDouble(timesteps), begin, numInferenceSteps, 1, noise);
            this.timesteps = timesteps;
            this.prkCalls = prkCalls;
            this.stride = numTrainTimesteps() / numInferenceSteps;
        }

        @Override
        public float initNoiseSigma() {
            return 1.0f;
        }

        @Override
        float[] advance(float[] modelOutput, int index, float[] sample) {
            float[] out = counter < prkCalls && !skipPrkSteps
                    ? rungeKuttaStep(modelOutput, timesteps[index], sample)
                    : multistepStep(modelOutput, timesteps[index], sample);
            counter++;
            return out;
        }

        private float[] rungeKuttaStep(float[] modelOutput, int timestep, float[] sample) {
            int diffToPrev = counter % 2 == 1 ? 0 : stride / 2;
            int prevTimestep = timestep - diffToPrev;
            // as diffusers: the call counter indexes the full Runge-Kutta list, whatever the run's start
            int stepTimestep = timesteps[counter / 4 * 4];
            int n = sample.length;
            float[] output = modelOutput;
            switch (counter % 4) {
                case 0:
                    rungeKuttaSum = weighted(null, 1f / 6, modelOutput);
                    ets.add(modelOutput.clone());
                    heldSample = sample.clone();
                    break;
                case 1:
                case 2:
                    rungeKuttaSum = weighted(rungeKuttaSum, 1f / 3, modelOutput);
                    break;
                default:
                    output = weighted(rungeKuttaSum, 1f / 6, modelOutput);
                    rungeKuttaSum = null;
                    break;
            }
            float[] from = heldSample != null ? heldSample : sample;
            return previousSample(from, stepTimestep, prevTimestep, output, n);
        }

        /** {@code sum + weight * x}, or {@code weight * x} when there is no sum yet. */
        private float[] weighted(float[] sum, float weight, float[] x) {
            float[] out = new float[x.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = sum == null ? weight * x[i] : sum[i] + weight * x[i];
            }
            return out;
        }

        private float[] multistepStep(float[] modelOutput, int timestep, float[] sample) {
            int prevTimestep = timestep - stride;
            if (counter != 1) {
                while (ets.size() > 3) {
                    ets.remove(0);
                }
                ets.add(modelOutput.clone());
            } else {
                prevTimestep = timestep;
                timestep = timestep + stride;
            }
            int n = sample.length;
            float[] output = new float[n];
            float[] from = sample;
            int count = ets.size();
            if (count == 1 && counter == 0) {
                output = modelOutput;
                heldSample = sample.clone();
            } else if (count == 1 && counter == 1) {
                float[] e1 = ets.get(0);
                for (int i = 0; i < n; i++) {
                    output[i] = (modelOutput[i] + e1[i]) / 2;
                }
                from = heldSample;
                heldSample = null;
            } else if (count == 2) {
                float[] e1 = ets.get(1);
                float[] e2 = ets.get(0);
                for (int i = 0; i < n; i++) {
                    output[i] = (3 * e1[i] - e2[i]) / 2;
                }
            } else if (count == 3) {
                float[] e1 = ets.get(2);
                float[] e2 = ets.get(1);
                float[] e3 = ets.get(0);
                for (int i = 0; i < n; i++) {
                    output[i] = (23 * e1[i] - 16 * e2[i] + 5 * e3[i]) / 12;
                }
            } else {
                float[] e1 = ets.get(3);
                float[] e2 = ets.get(2);
                float[] e3 = ets.get(1);
                float[] e4 = ets.get(0);
                float scale = (float) (1.0 / 24);
                for (int i = 0; i < n; i++) {
                    output[i] = scale * (55 * e1[i] - 59 * e2[i] + 37 * e3[i] - 9 * e4[i]);
                }
            }
            return previousSample(from, timestep, prevTimestep, output, n);
        }

        /** Formula (9) of the PNDM paper: the transfer from {@code timestep} to {@code prevTimestep}. */
        private float[] previousSample(float[] sample, int timestep, int prevTimestep, float[] output, int n) {
            float alphaProd = noiseSchedule.alphaCumprod(timestep);
            float alphaProdPrev = prevTimestep >= 0 ? noiseSchedule.alphaCumprod(prevTimestep) : finalAlphaCumprod;
            float betaProd = 1 - alphaProd;
            float betaProdPrev = 1 - alphaProdPrev;
            float[] eps = output;
            if (predictionType == PredictionType.V_PREDICTION) {
                float sqrtAlpha = (float) Math.sqrt(alphaProd);
                float sqrtBeta = (float) Math.sqrt(betaProd);
                eps = new float[n];
                for (int i = 0; i < n; i++) {
                    eps[i] = sqrtAlpha * output[i] + sqrtBeta * sample[i];
                }
            }
            float sampleCoeff = (float) Math.sqrt(alphaProdPrev / alphaProd);
            float denominator = alphaProd * (float) Math.sqrt(betaProdPrev)
                    + (float) Math.sqrt(alphaProd * betaProd * alphaProdPrev);
            float difference = alphaProdPrev - alphaProd;
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = sampleCoeff * sample[i] - difference * eps[i] / denominator;
            }
            return out;
        }

        @Override
        float[] noised(float[] original, float[] noise, int index) {
            return noisedByAlphaCumprod(original, noise, noiseSchedule.alphaCumprod(timesteps[index]));
        }
    }
}
