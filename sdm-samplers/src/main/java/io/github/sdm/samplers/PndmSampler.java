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

    /**
     * The diffusers class this sampler mirrors, as a {@code scheduler_config.json}'s {@code _class_name} names it.
     */
    public static final String NAME = "PNDMScheduler";

    private static final Set<String> FIELDS = Set.of("skip_prk_steps", "set_alpha_to_one");

    /**
     * diffusers' {@code pndm_order}: the Runge-Kutta warm-up spans the 4 largest timesteps, 3 steps of 4 model calls.
     */
    private static final int PNDM_ORDER = 4;

    private final boolean skipPrkSteps;
    private final float finalAlphaCumprod;

    /**
     * A sampler configured from {@code config}; fields it leaves unset take the diffusers class's defaults.
     *
     * @param config the scheduler configuration (diffusers' field names)
     * @throws SamplerConfigException if a field this sampler reads has the wrong type or an unsupported value (the
     *     message names the field and value)
     */
    public PndmSampler(SamplerConfig config) {
        super(NAME, config, FIELDS, NoiseSchedule.DIFFUSERS_DEFAULTS, NoiseSchedule.ZeroSnr.UNSUPPORTED,
                TimestepSpacing.LEADING);
        skipPrkSteps = config.getBoolean("skip_prk_steps", false);
        finalAlphaCumprod = config.getBoolean("set_alpha_to_one", false) ? 1.0f : noiseSchedule.alphaCumprod(0);
        if (predictionType == PredictionType.SAMPLE) {
            throw new SamplerConfigException("prediction_type", "sample",
                    "is not supported by " + NAME + "; use epsilon or v_prediction");
        }
    }

    @Override
    SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise) {
        if (!skipPrkSteps && numInferenceSteps < PNDM_ORDER) {
            throw new SamplerConfigException("num_inference_steps", numInferenceSteps,
                    "PNDM's Runge-Kutta warm-up needs at least " + PNDM_ORDER + " steps (or set skip_prk_steps)");
        }
        int[] descending = inferenceTimesteps.ddimFamily(numInferenceSteps, numTrainTimesteps());
        int n = descending.length;
        if (skipPrkSteps) {
            // diffusers' plms_timesteps: _timesteps[:-1], _timesteps[-2:-1], _timesteps[-1:], reversed; the second
            // timestep is repeated for the extra model call of PLMS's second step
            int[] timesteps = new int[n >= 2 ? n + 1 : n];
            timesteps[0] = descending[0];
            for (int i = 1; i < n; i++) {
                timesteps[i + 1] = descending[i];
            }
            if (n >= 2) {
                timesteps[1] = descending[1];
            }
            return new Run(timesteps, 0, beginIndex, numInferenceSteps, noise);
        }
        // diffusers' prk_timesteps: each Runge-Kutta step from t to the next timestep t' calls the model at t, twice
        // at t' + half a stride, and at t'; then plms_timesteps, the rest from the fourth timestep on
        int half = numTrainTimesteps() / numInferenceSteps / 2;
        int prkSteps = PNDM_ORDER - 1;
        int prkCalls = 4 * prkSteps;
        int[] timesteps = new int[prkCalls + n - prkSteps];
        for (int k = 0; k < prkSteps; k++) {
            timesteps[4 * k] = descending[k];
            timesteps[4 * k + 1] = descending[k + 1] + half;
            timesteps[4 * k + 2] = descending[k + 1] + half;
            timesteps[4 * k + 3] = descending[k + 1];
        }
        System.arraycopy(descending, prkSteps, timesteps, prkCalls, n - prkSteps);
        return new Run(timesteps, prkCalls, beginIndex, numInferenceSteps, noise);
    }

    private final class Run extends AlphaCumprodRun {

        private final int prkCalls;
        /** Model calls handled so far (diffusers' {@code counter}). */
        private int counter;
        private final List<float[]> ets = new ArrayList<>();
        private float[] rungeKuttaSum;
        private float[] heldSample;

        Run(int[] timesteps, int prkCalls, int begin, int numInferenceSteps, NoiseSource noise) {
            super(timesteps, noiseSchedule, finalAlphaCumprod, begin, numInferenceSteps, noise);
            this.prkCalls = prkCalls;
        }

        @Override
        float[] advance(float[] modelOutput, int index, float[] sample) {
            float[] out = counter < prkCalls
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
            return previousSample(heldSample, stepTimestep, prevTimestep, output);
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
            return previousSample(from, timestep, prevTimestep, output);
        }

        /** Formula (9) of the PNDM paper: the transfer from {@code timestep} to {@code prevTimestep}. */
        private float[] previousSample(float[] sample, int timestep, int prevTimestep, float[] output) {
            float alphaProd = alphaCumprod(timestep);
            float alphaProdPrev = alphaCumprod(prevTimestep);
            float betaProd = 1 - alphaProd;
            float betaProdPrev = 1 - alphaProdPrev;
            float[] eps = predictionType.predictedNoise(output, sample, (float) Math.sqrt(alphaProd),
                    (float) Math.sqrt(betaProd));
            float sampleCoeff = (float) Math.sqrt(alphaProdPrev / alphaProd);
            float denominator = alphaProd * (float) Math.sqrt(betaProdPrev)
                    + (float) Math.sqrt(alphaProd * betaProd * alphaProdPrev);
            float difference = alphaProdPrev - alphaProd;
            float[] out = new float[sample.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = sampleCoeff * sample[i] - difference * eps[i] / denominator;
            }
            return out;
        }
    }
}
