package io.github.sdm.assembly.train;

/**
 * The forward (noising) process of DDPM training with Stable Diffusion 1.x's schedule: {@code scaled_linear}
 * betas from 0.00085 to 0.012 over 1000 steps, {@code x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps}. The
 * {@code scheduler_config.json} written with a trained model states the same schedule, so the samplers
 * (which build theirs from that file) invert what training did.
 */
public final class DiffusionNoise {
    public static final double BETA_START = 0.00085;
    public static final double BETA_END = 0.012;
    public static final int TRAIN_TIMESTEPS = 1000;

    private final double[] alphasCumprod;

    private DiffusionNoise(double[] alphasCumprod) {
        this.alphasCumprod = alphasCumprod;
    }

    /** SD 1.x's schedule. */
    public static DiffusionNoise stableDiffusion() {
        double[] cumprod = new double[TRAIN_TIMESTEPS];
        double start = Math.sqrt(BETA_START);
        double end = Math.sqrt(BETA_END);
        double product = 1;
        for (int t = 0; t < TRAIN_TIMESTEPS; t++) {
            double root = start + (end - start) * t / (TRAIN_TIMESTEPS - 1);
            product *= 1 - root * root;
            cumprod[t] = product;
        }
        return new DiffusionNoise(cumprod);
    }

    public int timesteps() {
        return alphasCumprod.length;
    }

    /** {@code sqrt(abar_t)}, the clean sample's weight at timestep {@code t}. */
    public float signalScale(int t) {
        return (float) Math.sqrt(alphasCumprod[t]);
    }

    /** {@code sqrt(1 - abar_t)}, the noise's weight at timestep {@code t}. */
    public float noiseScale(int t) {
        return (float) Math.sqrt(1 - alphasCumprod[t]);
    }
}
