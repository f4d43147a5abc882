package io.github.sdm.core.error;

/** Base of every error sdm reports: the message names the file, key, parameter or value at fault. */
public class SdmException extends RuntimeException {
    public SdmException(String message) {
        super(message);
    }

    public SdmException(String message, Throwable cause) {
        super(message, cause);
    }
}
