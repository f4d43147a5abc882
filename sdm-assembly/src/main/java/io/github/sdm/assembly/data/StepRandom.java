package io.github.sdm.assembly.data;

import java.util.SplittableRandom;

/**
 * Training randomness as a pure function of (seed, step, purpose): every step draws its caption forms,
 * caption drops, timesteps and noise from generators made here, so a run resumed at step {@code s} draws
 * exactly what the uninterrupted run drew, with no generator state to store.
 */
public final class StepRandom {
    /** Purposes: each gets its own stream, so adding a draw to one never shifts another. */
    public static final int DATA_ORDER = 1;
    public static final int CAPTIONS = 2;
    public static final int TIMESTEPS = 3;
    public static final int NOISE = 4;
    public static final int POSTERIOR = 5;
    public static final int GROUP_MEMBER = 6;

    private StepRandom() {
    }

    public static SplittableRandom of(long seed, long step, int purpose) {
        long mixed = mix(mix(seed) ^ step * 0x9E3779B97F4A7C15L) ^ mix(purpose + 0x632BE59BD9B4E019L);
        return new SplittableRandom(mix(mixed));
    }

    /** Standard normal floats from {@code random}. */
    public static float[] gaussian(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
