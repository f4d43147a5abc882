package io.github.sdm.samplers;

/**
 * Standard Gaussian noise from a seed: a SplitMix64 stream of 64-bit integers (Steele, Lea and Flood 2014), turned
 * into uniform doubles in [-1, 1) from their top 53 bits and into Gaussian pairs by Marsaglia's polar method, whose
 * only transcendental function is evaluated with {@link StrictMath} so that a seed gives the same floats on every JVM
 * and platform. It does not reproduce torch's Mersenne-Twister generator; feed recorded noise through
 * {@link NoiseSource#replaying} for that.
 *
 * <p>Not thread-safe: one instance per sampling run.
 */
public final class SeededGaussianNoise implements NoiseSource {

    private static final double INV_2_POW_53 = 1.0 / (1L << 53);

    private long state;
    private double spare;
    private boolean hasSpare;

    /**
     * A generator at the start of {@code seed}'s stream.
     *
     * @param seed any value
     */
    public SeededGaussianNoise(long seed) {
        this.state = seed;
    }

    @Override
    public void fill(float[] target) {
        for (int i = 0; i < target.length; i++) {
            target[i] = (float) nextGaussian();
        }
    }

    /**
     * The next standard normal sample, in double precision.
     *
     * @return a sample of N(0, 1)
     */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u;
        double v;
        double radiusSquared;
        do {
            u = nextSignedUniform();
            v = nextSignedUniform();
            radiusSquared = u * u + v * v;
        } while (radiusSquared >= 1 || radiusSquared == 0);
        double scale = Math.sqrt(-2.0 * StrictMath.log(radiusSquared) / radiusSquared);
        spare = v * scale;
        hasSpare = true;
        return u * scale;
    }

    /** Uniform in [-1, 1), a multiple of 2^-52. */
    private double nextSignedUniform() {
        return (nextLong() >>> 11) * INV_2_POW_53 * 2.0 - 1.0;
    }

    private long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
