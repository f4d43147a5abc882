package io.github.sdm.assembly.djl.train;

import ai.djl.ndarray.NDManager;

/**
 * One stage of training: the networks it trains and, for any step, that step's loss on that step's batch.
 * A step's batch and random draws must follow from the stage's seed and the step number alone (see {@code StepRandom} and
 * {@code EpochOrder}), which is what makes a resumed run repeat the uninterrupted one.
 */
public interface TrainingStage {

    /** The stage's name ({@code vae}, {@code unet}), also its checkpoint folder's prefix. */
    String name();

    TrainedNetworks networks();

    /**
     * Runs step {@code step}'s (0-based) training forward pass inside a gradient collector, runs the backward
     * pass, and returns the loss; temporaries go to {@code scratch}.
     */
    float forwardBackward(long step, int batchSize, NDManager scratch);
}
