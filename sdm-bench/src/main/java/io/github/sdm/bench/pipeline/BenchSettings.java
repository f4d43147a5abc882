package io.github.sdm.bench.pipeline;

import io.github.sdm.core.Mode;

/**
 * What every generation of a bench run shares.
 *
 * @param warmup unmeasured generations per scenario before the measured ones
 * @param runs measured generations per scenario
 * @param mode txt2img, or img2img from a synthetic image of the bench's size (so the VAE encoder is timed too)
 * @param strength img2img's strength (ignored for txt2img)
 */
public record BenchSettings(String prompt, int width, int height, long seed, int warmup, int runs, Mode mode,
        double strength) {
    public static final String DEFAULT_PROMPT = "a photo of an astronaut riding a horse on mars";

    /** Txt2img settings. */
    public BenchSettings(String prompt, int width, int height, long seed, int warmup, int runs) {
        this(prompt, width, height, seed, warmup, runs, Mode.TXT2IMG, 0.8);
    }

    public BenchSettings {
        if (mode == null) {
            throw new IllegalArgumentException("mode must not be null");
        }
        if (warmup < 0 || runs < 1) {
            throw new IllegalArgumentException("need warmup >= 0 and runs >= 1, got " + warmup + " and " + runs);
        }
        if (width <= 0 || height <= 0 || width % 8 != 0 || height % 8 != 0) {
            throw new IllegalArgumentException("image size must be positive multiples of 8, got " + width + "x" + height);
        }
    }
}
