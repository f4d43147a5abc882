package io.github.sdm.assembly.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The order training visits a dataset in: each epoch a fresh permutation, seeded by the run's seed and the
 * epoch number, so the picture at any position of the endless sequence follows from the seed alone. A
 * resumed run therefore needs no stored data position: step {@code s} with batch {@code b} reads positions
 * {@code s*b .. s*b+b-1}.
 *
 * <p>The permutation can run over groups of pictures instead ({@link #perGroup}): an epoch then visits every
 * group once, as one member drawn at random for that epoch. Grouping an emoji's skin-tone variations makes each
 * emoji name as frequent as any other, where the plain order shows a person with five skin tones six times as
 * often as an object.
 */
public final class EpochOrder {
    private final int[][] groups;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] cachedOrder;

    /** Every picture once per epoch. */
    public EpochOrder(int size, long seed) {
        this(singletons(size), seed);
    }

    private EpochOrder(int[][] groups, long seed) {
        if (groups.length < 1) {
            throw new IllegalArgumentException("dataset size must be at least 1, got " + groups.length);
        }
        for (int[] group : groups) {
            if (group.length < 1) {
                throw new IllegalArgumentException("every group needs at least one picture");
            }
        }
        this.groups = groups;
        this.seed = seed;
    }

    /**
     * Every group once per epoch, as one of its pictures drawn anew each epoch.
     *
     * @param groups dataset indices, one list per group
     */
    public static EpochOrder perGroup(List<int[]> groups, long seed) {
        return new EpochOrder(groups.stream().map(int[]::clone).toArray(int[][]::new), seed);
    }

    /** Positions per epoch: the pictures, or the groups. */
    public int epochLength() {
        return groups.length;
    }

    /** The dataset index at {@code position} (0-based, over all epochs). */
    public int indexAt(long position) {
        long epoch = position / groups.length;
        if (epoch != cachedEpoch) {
            cachedOrder = order(epoch);
            cachedEpoch = epoch;
        }
        return cachedOrder[(int) (position % groups.length)];
    }

    /** The dataset indices of step {@code step}'s batch of {@code batchSize}. */
    public int[] batch(long step, int batchSize) {
        int[] indices = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            indices[i] = indexAt(step * batchSize + i);
        }
        return indices;
    }

    private int[] order(long epoch) {
        int size = groups.length;
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
        // a separate stream, so that singleton groups give exactly the plain permutation
        SplittableRandom members = StepRandom.of(seed, epoch, StepRandom.GROUP_MEMBER);
        for (int i = 0; i < size; i++) {
            int[] group = groups[order[i]];
            order[i] = group.length == 1 ? group[0] : group[members.nextInt(group.length)];
        }
        return order;
    }

    private static int[][] singletons(int size) {
        int[][] groups = new int[Math.max(0, size)][];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = new int[] {i};
        }
        return groups;
    }
}
