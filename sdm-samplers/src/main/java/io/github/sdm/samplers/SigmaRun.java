package io.github.sdm.samplers;

/**
 * A run of the k-diffusion style samplers (Euler, Euler ancestral, Heun, LMS), which integrate in sigma: the sample is
 * {@code x = x0 + sigma * eps}, the model sees {@code x / sqrt(sigma^2 + 1)}, and the starting noise and
 * {@code add_noise} are scaled by sigma.
 */
abstract class SigmaRun extends AbstractRun {

    /** The sampling sigmas by global index, descending and ending with 0, float32 as diffusers stores them. */
    final float[] sigmas;
    private final TimestepSpacing spacing;

    SigmaRun(double[] allTimesteps, float[] sigmas, TimestepSpacing spacing, int begin, int numInferenceSteps,
            int order, NoiseSource noise) {
        super(allTimesteps, begin, numInferenceSteps, order, noise);
        this.sigmas = sigmas;
        this.spacing = spacing;
    }

    @Override
    final float[] sigmas() {
        return sigmas.clone();
    }

    /**
     * The largest sigma, or {@code sqrt(max^2 + 1)} for leading spacing (whose schedule does not start at the last
     * training timestep).
     */
    @Override
    public final float initNoiseSigma() {
        float max = Float.NEGATIVE_INFINITY;
        for (float s : sigmas) {
            max = Math.max(max, s);
        }
        return spacing == TimestepSpacing.LEADING ? (float) Math.sqrt(max * max + 1f) : max;
    }

    /** {@code sample / sqrt(sigma^2 + 1)}. */
    @Override
    final float[] scale(float[] sample, int index) {
        float sigma = sigmas[index];
        float divisor = (float) Math.sqrt(sigma * sigma + 1f);
        float[] out = new float[sample.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sample[i] / divisor;
        }
        return out;
    }

    /** {@code original + noise * sigma}: the variance-exploding form. */
    @Override
    final float[] noised(float[] original, float[] noise, int index) {
        float sigma = sigmas[index];
        float[] out = new float[original.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = original[i] + noise[i] * sigma;
        }
        return out;
    }

    /** The ODE derivative {@code dx/dsigma = (x - x0) / sigma} (k-diffusion's {@code to_d}). */
    static float[] derivative(float[] sample, float[] x0, float sigma) {
        float[] out = new float[sample.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (sample[i] - x0[i]) / sigma;
        }
        return out;
    }

    /** {@code sample + derivative * dt}. */
    static float[] eulerStep(float[] sample, float[] derivative, float dt) {
        float[] out = new float[sample.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sample[i] + derivative[i] * dt;
        }
        return out;
    }
}
