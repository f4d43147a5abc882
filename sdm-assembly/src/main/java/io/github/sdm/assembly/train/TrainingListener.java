package io.github.sdm.assembly.train;

/** Receives every step's report and every checkpoint written (the command line draws its progress bar from them). */
public interface TrainingListener {
    TrainingListener NONE = new TrainingListener() {
    };

    default void onStep(StepReport report) {
    }

    default void onCheckpoint(long step, java.nio.file.Path folder) {
    }

    /** This listener, then {@code next}. */
    default TrainingListener andThen(TrainingListener next) {
        TrainingListener first = this;
        return new TrainingListener() {
            @Override
            public void onStep(StepReport report) {
                first.onStep(report);
                next.onStep(report);
            }

            @Override
            public void onCheckpoint(long step, java.nio.file.Path folder) {
                first.onCheckpoint(step, folder);
                next.onCheckpoint(step, folder);
            }
        };
    }
}
