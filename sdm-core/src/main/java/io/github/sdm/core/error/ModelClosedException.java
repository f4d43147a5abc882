package io.github.sdm.core.error;

/**
 * A {@code StableDiffusion} model was used after {@code close()}, or was closed while a generation ran (which
 * then stopped before its next step).
 */
public class ModelClosedException extends SdmException {
    /**
     * @param message which model was closed and what was attempted
     */
    public ModelClosedException(String message) {
        super(message);
    }

    /**
     * @param message which model was closed and what was attempted
     * @param cause the failure the close caused inside the generation
     */
    public ModelClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
