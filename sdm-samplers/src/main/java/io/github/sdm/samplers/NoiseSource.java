package io.github.sdm.samplers;

import java.util.List;

/**
 * The only way a sampler gets randomness: stochastic samplers (DDIM with eta &gt; 0, DDPM, Euler ancestral, LCM,
 * SDE-DPM-Solver++, Euler with s_churn &gt; 0) draw one array of standard Gaussian noise, shaped like the sample, each
 * time diffusers calls {@code randn_tensor} in its {@code step}, in the same order. Feeding the noise diffusers drew
 * therefore reproduces its run exactly.
 *
 * <p>A source belongs to one sampling run and need not be thread-safe.
 */
@FunctionalInterface
public interface NoiseSource {

    /**
     * Fills {@code target} with independent standard normal samples (the next draw of the run).
     *
     * @param target the array to overwrite, shaped like the sample
     */
    void fill(float[] target);

    /**
     * A reproducible source; see {@link SeededGaussianNoise} for the generator.
     *
     * @param seed any value; the same seed gives the same floats on every JVM and platform
     * @return a new source, for one run
     */
    static NoiseSource seeded(long seed) {
        return new SeededGaussianNoise(seed);
    }

    /**
     * Replays recorded noise arrays in order (for parity tests and recorded reference runs).
     *
     * @param draws the arrays, one per draw, each as long as the sample
     * @return a source that fails when a draw is missing or of another length
     */
    static NoiseSource replaying(List<float[]> draws) {
        return new RecordedNoise(draws);
    }

    /**
     * A source for deterministic samplers: any draw is a programming error.
     *
     * @return a source whose {@link #fill} throws {@link IllegalStateException}
     */
    static NoiseSource none() {
        return target -> {
            throw new IllegalStateException("this sampling run was started without a noise source but needs noise");
        };
    }
}
