package io.github.sdm.core.model;

import io.github.sdm.core.error.InvalidRequestException;
import java.nio.file.Path;

/**
 * One LoRA adapter to apply: its safetensors file (kohya/A1111 or diffusers/PEFT layout) and the multiplier
 * its update is scaled by ({@code W' = W + multiplier * scale * up @ down}; 0 leaves the model as it is).
 *
 * @param file the adapter's {@code .safetensors} file
 * @param multiplier the strength, a finite number (usually 0 to 1; negative values subtract the adapter)
 * @param ignoreUnmatchedKeys false (the default): a key that matches no layer of the model is an error naming
 *     it; true: such keys are logged as warnings and skipped (real files carry extras, e.g. SDXL's second text
 *     encoder). A key that matches a layer with the wrong shape is always an error.
 */
public record LoraAdapter(Path file, double multiplier, boolean ignoreUnmatchedKeys) {

    /**
     * An adapter whose every key must match a layer of the model.
     *
     * @param file the adapter's file, not null
     * @param multiplier a finite number
     */
    public LoraAdapter(Path file, double multiplier) {
        this(file, multiplier, false);
    }

    /**
     * This adapter with unmatched keys logged and skipped instead of refused.
     *
     * @return a copy that ignores unmatched keys
     */
    public LoraAdapter ignoringUnmatchedKeys() {
        return new LoraAdapter(file, multiplier, true);
    }

    /**
     * Checks the values.
     *
     * @param file the adapter's file, not null
     * @param multiplier a finite number
     * @param ignoreUnmatchedKeys whether keys matching no layer are skipped with a warning
     * @throws InvalidRequestException if the file is null or the multiplier is not finite
     */
    public LoraAdapter {
        if (file == null) {
            throw new InvalidRequestException("LoRA file must not be null");
        }
        if (!Double.isFinite(multiplier)) {
            throw new InvalidRequestException("LoRA multiplier of " + file + " must be a finite number, got "
                    + multiplier);
        }
    }

    /**
     * How the adapter is written in the PNG {@code parameters} text and logs: {@code name:multiplier}.
     *
     * @return the file name and the multiplier
     */
    public String describe() {
        return file.getFileName() + ":" + multiplier;
    }
}
