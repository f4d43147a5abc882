package io.github.sdm.core.error;

/**
 * A {@code StableDiffusion} model was used after {@code close()}, or was closed while a generation ran (which
 * then stopped before its next step).
 */
public class ModelClosedException extends SdmException {
    public ModelClosedException(String message) {
        super(message);
    }

    public ModelClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
