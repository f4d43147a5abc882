package io.github.sdm.core.error;

/** A generation request or option holds a value sdm cannot run; the message names the parameter and value. */
public class InvalidRequestException extends SdmException {
    /**
     * An invalid request.
     *
     * @param message what is wrong, naming the parameter and its value
     */
    public InvalidRequestException(String message) {
        super(message);
    }
}
