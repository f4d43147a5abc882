package io.github.sdm.samplers;

import java.util.Set;

/**
 * Euler ancestral (k-diffusion's {@code sample_euler_ancestral}), diffusers'
 * {@code EulerAncestralDiscreteScheduler}: an Euler step down to {@code sigma_down}, then fresh noise of
 * {@code sigma_up}; one noise array per step, the last included.
 */
public final class EulerAncestralSampler extends AbstractSampler {

    /**
     * The diffusers class this sampler mirrors, as a {@code scheduler_config.json}'s {@code _class_name} names it.
     */
    public static final String NAME = "EulerAncestralDiscreteScheduler";

    /**
     * A sampler configured from {@code config}; fields it leaves unset take the diffusers class's defaults.
     *
     * @param config the scheduler configuration (diffusers' field names)
     * @throws SamplerConfigException if a field this sampler reads has the wrong type or an unsupported value (the
     *     message names the field and value)
     */
    public EulerAncestralSampler(SamplerConfig config) {
        super(NAME, config, Set.of(), NoiseSchedule.DIFFUSERS_DEFAULTS, NoiseSchedule.ZeroSnr.RESCALE_AND_CLAMP_LAST,
                TimestepSpacing.LINSPACE);
        if (predictionType == PredictionType.SAMPLE) {
            throw new SamplerConfigException("prediction_type", "sample",
                    "is not implemented by " + NAME + " (diffusers neither); use epsilon or v_prediction");
        }
    }

    @Override
    SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise) {
        DiscreteSigmaSchedule schedule = DiscreteSigmaSchedule.build(noiseSchedule, inferenceTimesteps,
                numInferenceSteps, DiscreteSigmaSchedule.Options.plain());
        return new Run(schedule, beginIndex, numInferenceSteps, noise);
    }

    private final class Run extends SigmaRun {

        Run(DiscreteSigmaSchedule schedule, int begin, int numInferenceSteps, NoiseSource noise) {
            super(schedule.timesteps, schedule.sigmas, inferenceTimesteps.spacing(), begin, numInferenceSteps, 1,
                    noise);
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
