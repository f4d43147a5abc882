package io.github.sdm.core.error;

import io.github.sdm.core.Generation;

/** Thrown by {@link Generation#run()} when the generation was cancelled; no partial result is returned. */
public class GenerationCancelledException extends SdmException {
    public GenerationCancelledException(int completedSteps, int totalSteps) {
        super("Generation cancelled after " + completedSteps + " of " + totalSteps + " steps");
    }
}
