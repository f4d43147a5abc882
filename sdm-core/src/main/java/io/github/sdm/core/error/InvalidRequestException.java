package io.github.sdm.core.error;

/** A generation request or option holds a value sdm cannot run; the message names the parameter and value. */
public class InvalidRequestException extends SdmException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
