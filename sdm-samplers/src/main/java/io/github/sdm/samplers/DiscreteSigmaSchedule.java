package io.github.sdm.samplers;

import java.util.OptionalDouble;

/**
 * The schedule of the k-diffusion style samplers (Euler, Euler ancestral, Heun, LMS): float32 timesteps from the
 * spacing, sigmas interpolated from the training sigmas (or Karras sigmas and the timesteps they map back to), and a
 * final sigma of 0.
 */
final class DiscreteSigmaSchedule {

    /** One timestep per sigma except the final 0. */
    final double[] timesteps;
    /** Sampling sigmas, descending, ending with 0; float32 as diffusers stores them. */
    final float[] sigmas;

    private DiscreteSigmaSchedule(double[] timesteps, float[] sigmas) {
        this.timesteps = timesteps;
        this.sigmas = sigmas;
    }

    /** Settings beyond the spacing; Euler has all of them, the others a subset. */
    record Options(boolean logLinear, boolean karras, OptionalDouble sigmaMin, OptionalDouble sigmaMax,
            boolean karrasTimestepsAsFloat32) {

        static Options plain() {
            return new Options(false, false, OptionalDouble.empty(), OptionalDouble.empty(), true);
        }

        static Options karras(boolean karras, boolean karrasTimestepsAsFloat32) {
            return new Options(false, karras, OptionalDouble.empty(), OptionalDouble.empty(), karrasTimestepsAsFloat32);
        }
    }

    static DiscreteSigmaSchedule build(NoiseSchedule noise, InferenceTimesteps inferenceTimesteps, int steps,
            Options options) {
        double[] timesteps = inferenceTimesteps.eulerFamily(steps, noise.numTrainTimesteps());
        float[] training = noise.trainingSigmas();
        float[] logSigmas = ScheduleMath.logs(training);
        double[] sigmas;
        if (options.logLinear()) {
            // torch.linspace(log(sigma_max), log(sigma_min), steps + 1).exp(), in float32: one more sigma than steps
            float[] logs = ScheduleMath.torchLinspace(logSigmas[logSigmas.length - 1], logSigmas[0], steps + 1);
            sigmas = new double[logs.length];
            for (int i = 0; i < logs.length; i++) {
                sigmas[i] = (float) Math.exp(logs[i]);
            }
        } else {
            sigmas = ScheduleMath.interp(timesteps, training);
        }
        if (options.karras()) {
            double sigmaMin = options.sigmaMin().orElse(sigmas[sigmas.length - 1]);
            double sigmaMax = options.sigmaMax().orElse(sigmas[0]);
            sigmas = ScheduleMath.karrasSigmas(sigmaMin, sigmaMax, steps);
            timesteps = new double[sigmas.length];
            for (int i = 0; i < sigmas.length; i++) {
                double t = ScheduleMath.sigmaToTimestep(sigmas[i], logSigmas);
                timesteps[i] = options.karrasTimestepsAsFloat32() ? (float) t : t;
            }
        }
        return new DiscreteSigmaSchedule(timesteps, ScheduleMath.float32WithFinal(sigmas, 0f));
    }
}
