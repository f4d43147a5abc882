package io.github.sdm.unet.lora;

import io.github.sdm.core.error.ModelFormatException;

/** A LoRA file that does not fit the model: a key matching no layer, a shape that does not fit, a missing half. */
public final class LoraFormatException extends ModelFormatException {
    private static final long serialVersionUID = 1L;

    public LoraFormatException(String message) {
        super(message);
    }
}
