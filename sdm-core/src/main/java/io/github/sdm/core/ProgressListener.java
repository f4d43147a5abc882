package io.github.sdm.core;

/** Called on the generating thread after every step; keep it quick. Call {@code generation().cancel()} to stop. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = progress -> { };

    void onStep(StepProgress progress);
}
