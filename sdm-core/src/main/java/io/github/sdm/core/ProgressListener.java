package io.github.sdm.core;

/** Called on the generating thread after every step; keep it quick. Call {@code generation().cancel()} to stop. */
@FunctionalInterface
public interface ProgressListener {
    /** Does nothing: the listener of a request that sets none. */
    ProgressListener NONE = progress -> { };

    /**
     * Called after each step. An exception thrown here ends the generation with that exception.
     *
     * @param progress the step just finished, and the generation (to cancel it)
     */
    void onStep(StepProgress progress);
}
