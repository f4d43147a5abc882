package io.github.sdm.unet.nn;

import io.github.sdm.core.SdmException;

/** A tensor given to a network or one of its parts does not have the shape it needs. */
public class InputShapeException extends SdmException {
    public InputShapeException(String message) {
        super(message);
    }
}
