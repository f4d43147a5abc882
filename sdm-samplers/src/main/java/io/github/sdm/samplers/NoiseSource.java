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

    /** Fills {@code target} with independent standard normal samples. */
    void fill(float[] target);

    /** A reproducible source; see {@link SeededGaussianNoise} for the generator. */
    static NoiseSource seeded(long seed) {
        return new SeededGaussianNoise(seed);
    }

    /** Replays recorded noise arrays in order (for parity tests and recorded reference runs). */
    static NoiseSource replaying(List<float[]> draws) {
        return new RecordedNoise(draws);
    }

    /** A source for deterministic samplers: any draw is a programming error. */
    static NoiseSource none() {
        return target -> {
            throw new IllegalStateException("this sampling run was started without a noise source but needs noise");
        };
    }
}
