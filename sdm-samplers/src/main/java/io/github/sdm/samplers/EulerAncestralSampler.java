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

    private final class Run extends SigmaRun {

        Run(DiscreteSigmaSchedule schedule, int begin, int numInferenceSteps, NoiseSource noise) {
            super(schedule.timesteps, schedule.sigmas, spacing, begin, numInferenceSteps, 1, noise);
        }

        @Override
        float[] advance(float[] modelOutput, int index, float[] sample) {
            float sigma = sigmas[index];
            float sigmaFrom = sigma;
            float sigmaTo = sigmas[index + 1];
            float sigmaUp = (float) Math.sqrt(
                    sigmaTo * sigmaTo * (sigmaFrom * sigmaFrom - sigmaTo * sigmaTo) / (sigmaFrom * sigmaFrom));
            float sigmaDown = (float) Math.sqrt(sigmaTo * sigmaTo - sigmaUp * sigmaUp);
            float[] x0 = predictionType.predictedSampleAtSigma(modelOutput, sample, sigma);
            float[] out = eulerStep(sample, derivative(sample, x0, sigma), sigmaDown - sigma);
            float[] z = drawNoise(sample.length);
            for (int i = 0; i < out.length; i++) {
                out[i] = out[i] + z[i] * sigmaUp;
            }
            return out;
        }
    }
}
