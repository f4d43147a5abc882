package io.github.sdm.unet.djl.nn;

import io.github.sdm.core.error.SdmException;

/** A tensor given to a network or one of its parts does not have the shape it needs. */
public class InputShapeException extends SdmException {
    public InputShapeException(String message) {
        super(message);
    }
}
