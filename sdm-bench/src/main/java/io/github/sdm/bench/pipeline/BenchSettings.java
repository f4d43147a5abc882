package io.github.sdm.bench.pipeline;

/**
 * What every generation of a bench run shares.
 *
 * @param warmup unmeasured generations per scenario before the measured ones
 * @param runs measured generations per scenario
 */
public record BenchSettings(String prompt, int width, int height, long seed, int warmup, int runs) {
    public static final String DEFAULT_PROMPT = "a photo of an astronaut riding a horse on mars";

    public BenchSettings {
        if (warmup < 0 || runs < 1) {
            throw new IllegalArgumentException("need warmup >= 0 and runs >= 1, got " + warmup + " and " + runs);
        }
        if (width <= 0 || height <= 0 || width % 8 != 0 || height % 8 != 0) {
            throw new IllegalArgumentException("image size must be positive multiples of 8, got " + width + "x" + height);
        }
    }
}
