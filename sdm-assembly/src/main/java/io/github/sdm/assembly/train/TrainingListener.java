package io.github.sdm.assembly.train;

/** Receives every step's report and every checkpoint written (the command line draws its progress bar from them). */
public interface TrainingListener {
    TrainingListener NONE = new TrainingListener() {
    };

    default void onStep(StepReport report) {
    }

    default void onCheckpoint(long step, java.nio.file.Path folder) {
    }
}
