package io.github.sdm.core.error;

/** A model file or folder is missing, truncated or does not hold what its format promises. */
public class ModelFormatException extends SdmException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
