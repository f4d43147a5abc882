package io.github.sdm.core;

/**
 * Told by the pipeline where a generation is: the start and end of every {@link Stage} (a timer measures
 * them) and the end of every denoising step (progress reporting). Called on the generating thread; stages
 * do not nest.
 */
interface StageListener {

    StageListener NONE = new StageListener() {
    };

    default void stageStarted(Stage stage) {
    }

    default void stageFinished(Stage stage) {
    }

    /** @param step 1-based index of the step just done, of {@code totalSteps} */
    default void stepFinished(int step, int totalSteps, double timestep) {
    }
}
