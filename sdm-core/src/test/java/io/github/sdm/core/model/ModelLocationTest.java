package io.github.sdm.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sdm.core.error.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model location that cannot hold a model is refused before any file is read, saying what is wrong. */
class ModelLocationTest {
    @TempDir
    Path dir;

    @Test
    void aFileGivenAsTheModelFolderIsCalledAFileNotMissing() throws IOException {
        Path file = Files.writeString(dir.resolve("passwd"), "root:x:0:0\n");
        assertMessage("The model folder " + file + " is a file, not a folder: give a diffusers folder (with "
                + "model_index.json); a single-file checkpoint is given as the checkpoint, with such a folder for its "
                + "configs", ModelLocation.folder(file));
        assertMessage("Model folder not found: " + dir.resolve("absent"), ModelLocation.folder(dir.resolve("absent")));
    }

    private static void assertMessage(String expected, ModelLocation location) {
        assertEquals(expected, assertThrows(ModelFormatException.class, location::requireExists).getMessage());
    }
}
