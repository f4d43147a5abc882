package io.github.sdm.core.error;

import io.github.sdm.core.Generation;

/** Thrown by {@link Generation#run()} when the generation was cancelled; no partial result is returned. */
public class GenerationCancelledException extends SdmException {
    /**
     * The error of a generation cancelled after {@code completedSteps} of {@code totalSteps}.
     *
     * @param completedSteps the steps finished before the run stopped
     * @param totalSteps the steps the generation would have run (model calls for multi-call samplers)
     */
    public GenerationCancelledException(int completedSteps, int totalSteps) {
        super("Generation cancelled after " + completedSteps + " of " + totalSteps + " steps");
    }
}
