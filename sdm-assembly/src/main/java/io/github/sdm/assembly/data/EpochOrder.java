package io.github.sdm.assembly.data;

import java.util.SplittableRandom;

/**
 * The order training visits a dataset in: each epoch a fresh permutation, seeded by the run's seed and the
 * epoch number, so the picture at any position of the endless sequence follows from the seed alone. A
 * resumed run therefore needs no stored data position: step {@code s} with batch {@code b} reads positions
 * {@code s*b .. s*b+b-1}.
 */
public final class EpochOrder {
    private final int size;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] cachedPermutation;

    public EpochOrder(int size, long seed) {
        if (size < 1) {
            throw new IllegalArgumentException("dataset size must be at least 1, got " + size);
        }
        this.size = size;
        this.seed = seed;
    }

    /** The dataset index at {@code position} (0-based, over all epochs). */
    public int indexAt(long position) {
        long epoch = position / size;
        if (epoch != cachedEpoch) {
            cachedPermutation = permutation(epoch);
            cachedEpoch = epoch;
        }
        return cachedPermutation[(int) (position % size)];
    }

    /** The dataset indices of step {@code step}'s batch of {@code batchSize}. */
    public int[] batch(long step, int batchSize) {
        int[] indices = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            indices[i] = indexAt(step * batchSize + i);
        }
        return indices;
    }

    private int[] permutation(long epoch) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom random = StepRandom.of(seed, epoch, StepRandom.DATA_ORDER);
        for (int i = size - 1; i > 0; i--) { // Fisher-Yates
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
