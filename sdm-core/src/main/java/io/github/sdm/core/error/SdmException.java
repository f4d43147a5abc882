package io.github.sdm.core.error;

/** Base of every error sdm reports: the message names the file, key, parameter or value at fault. */
public class SdmException extends RuntimeException {
    /**
     * An error with its message.
     *
     * @param message what went wrong, naming the file, key, parameter or value at fault
     */
    public SdmException(String message) {
        super(message);
    }

    /**
     * An error caused by another one.
     *
     * @param message what went wrong, naming the file, key, parameter or value at fault
     * @param cause the underlying error
     */
    public SdmException(String message, Throwable cause) {
        super(message, cause);
    }
}
