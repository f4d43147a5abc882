package io.github.sdm.core;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a model's files are: a diffusers folder, optionally with a single-file checkpoint (original LDM
 * key names) that supplies the weights while the folder supplies configs and tokenizer.
 */
public record ModelLocation(Path folder, Path checkpoint) {

    public static ModelLocation folder(Path folder) {
        return new ModelLocation(folder, null);
    }

    public static ModelLocation singleFile(Path checkpoint, Path configFolder) {
        return new ModelLocation(configFolder, checkpoint);
    }

    public boolean isSingleFile() {
        return checkpoint != null;
    }

    /** Fails with a clear message when the folder (or checkpoint) is missing or holds no model. */
    public void requireExists() {
        if (folder == null || !Files.isDirectory(folder)) {
            throw new ModelFormatException("Model folder not found: " + folder);
        }
        if (!Files.isRegularFile(folder.resolve("model_index.json"))) {
            throw new ModelFormatException("Not a diffusers model folder (no model_index.json): " + folder);
        }
        if (checkpoint != null && !Files.isRegularFile(checkpoint)) {
            throw new ModelFormatException("Checkpoint file not found: " + checkpoint);
        }
    }
}
