package io.github.sdm.bench.cli;

import io.github.sdm.core.error.SdmException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The default model: the tiny seeded SD 1.x folder shipped in the repository under {@code models/tiny-sd}
 * (found through the {@code sdm.home} property the launcher sets, else the working directory). It makes
 * images of noise-like texture, but exercises every part of the pipeline with no download.
 */
final class EmbeddedModel {
    private EmbeddedModel() {
    }

    static Path folder() {
        Path home = Path.of(System.getProperty("sdm.home", "."));
        Path folder = home.resolve("models").resolve("tiny-sd");
        if (!Files.isDirectory(folder)) {
            throw new SdmException("The embedded default model is not at " + folder.toAbsolutePath()
                    + "; run from the repository root or pass --model");
        }
        return folder;
    }
}
