package io.github.sdm.samplers;

import java.util.Set;

/**
 * Euler ancestral (k-diffusion's {@code sample_euler_ancestral}), diffusers'
 * {@code EulerAncestralDiscreteScheduler}: an Euler step down to {@code sigma_down}, then fresh noise of
 * {@code sigma_up}; one noise array per step, the last included.
 */
public final class EulerAncestralSampler extends AbstractSampler {

    public static final String NAME = "EulerAncestralDiscreteScheduler";

    private static final Set<String> FIELDS = fields(NoiseSchedule.FIELDS,
            Set.of("prediction_type", "timestep_spacing", "steps_offset", "rescale_betas_zero_snr"));

    private final NoiseSchedule noiseSchedule;
    private final PredictionType predictionType;
    private final TimestepSpacing spacing;
    private final int stepsOffset;

    public EulerAncestralSampler(SamplerConfig config) {
        super(NAME, config, FIELDS);
        noiseSchedule = NoiseSchedule.read(config, NoiseSchedule.DIFFUSERS_DEFAULTS,
                NoiseSchedule.ZeroSnr.RESCALE_AND_CLAMP_LAST);
        predictionType = PredictionType.read(config);
        if (predictionType == PredictionType.SAMPLE) {
            throw new SamplerConfigException("prediction_type", "sample",
                    "is not implemented by " + NAME + " (diffusers neither); use epsilon or v_prediction");
        }
        spacing = TimestepSpacing.read(config, TimestepSpacing.LINSPACE);
        stepsOffset = InferenceTimesteps.readStepsOffset(config);
    }

    @Override
    int numTrainTimesteps() {
        return noiseSchedule.numTrainTimesteps();
    }

    @Override
    SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise) {
        DiscreteSigmaSchedule schedule = DiscreteSigmaSchedule.build(noiseSchedule, spacing, numInferenceSteps,
                stepsOffset, DiscreteSigmaSchedule.Options.plain());
        return new Run(schedule, beginIndex, numInferenceSteps, noise);
    }

    private final class Run extends AbstractRun {

        private final float[] sigmas;

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
            float sigmaFrom = sigma;
            float sigmaTo = sigmas[index + 1];
            float sigmaUp = (float) Math.sqrt(
                    sigmaTo * sigmaTo * (sigmaFrom * sigmaFrom - sigmaTo * sigmaTo) / (sigmaFrom * sigmaFrom));
            float sigmaDown = (float) Math.sqrt(sigmaTo * sigmaTo - sigmaUp * sigmaUp);
            float dt = sigmaDown - sigma;
            float vScale = -sigma / (float) Math.sqrt(sigma * sigma + 1f);
            float vSkip = sigma * sigma + 1f;
            int n = sample.length;
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                float x0 = predictionType == PredictionType.EPSILON
                        ? sample[i] - sigma * modelOutput[i]
                        : modelOutput[i] * vScale + sample[i] / vSkip;
                float derivative = (sample[i] - x0) / sigma;
                out[i] = sample[i] + derivative * dt;
            }
            float[] z = drawNoise(n);
            for (int i = 0; i < n; i++) {
                out[i] = out[i] + z[i] * sigmaUp;
            }
            return out;
        }

        @Override
        float[] noised(float[] original, float[] noise, int index) {
            return noisedBySigma(original, noise, sigmas[index]);
        }
    }
}
