package io.github.sdm.core.error;

/** A model file or folder is missing, truncated or does not hold what its format promises. */
public class ModelFormatException extends SdmException {
    /**
     * A bad model file or folder.
     *
     * @param message what is wrong, naming the file (and the key or offset at fault)
     */
    public ModelFormatException(String message) {
        super(message);
    }

    /**
     * A bad model file or folder, found through another error (an I/O or parse error).
     *
     * @param message what is wrong, naming the file (and the key or offset at fault)
     * @param cause the error that revealed it
     */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
