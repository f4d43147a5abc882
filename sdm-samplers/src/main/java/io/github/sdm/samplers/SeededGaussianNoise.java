package io.github.sdm.samplers;

/**
 * Standard Gaussian noise from a seed: a SplitMix64 stream of 64-bit integers (Steele, Lea and Flood 2014), turned
 * into uniform doubles in (0, 1] from their top 53 bits and into Gaussian pairs by the Box-Muller transform, evaluated
 * with {@link StrictMath} so that a seed gives the same floats on every JVM and platform. It does not reproduce
 * torch's Mersenne-Twister generator; feed recorded noise through {@link NoiseSource#replaying} for that.
 *
 * <p>Not thread-safe: one instance per sampling run.
 */
public final class SeededGaussianNoise implements NoiseSource {

    private static final double TWO_PI = 2.0 * Math.PI;
    private static final double INV_2_POW_53 = 1.0 / (1L << 53);

    private long state;
    private double spare;
    private boolean hasSpare;

    public SeededGaussianNoise(long seed) {
        this.state = seed;
    }

    @Override
    public void fill(float[] target) {
        for (int i = 0; i < target.length; i++) {
            target[i] = (float) nextGaussian();
        }
    }

    /** The next standard normal sample, in double precision. */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u1 = nextUniformOpenZero();
        double u2 = nextUniformOpenZero();
        double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        double angle = TWO_PI * u2;
        spare = radius * StrictMath.sin(angle);
        hasSpare = true;
        return radius * StrictMath.cos(angle);
    }

    /** Uniform in (0, 1]: never 0, so the logarithm above stays finite. */
    private double nextUniformOpenZero() {
        return ((nextLong() >>> 11) + 1) * INV_2_POW_53;
    }

    private long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
