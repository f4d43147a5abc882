package io.github.sdm.bench.cli;

import io.github.sdm.core.error.SdmException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The default model: the small SD 1.x-shaped emoji model trained by {@code sdm train} (docs/training.md) and
 * shipped in the repository under {@code models/emoji-sd} (found through the {@code sdm.home} property the
 * launcher sets, else the working directory). It draws 32x32 emoji of the prompt with no download. The seeded
 * random {@code models/tiny-sd} beside it stays for the parity tests.
 */
final class EmbeddedModel {
    private EmbeddedModel() {
    }

    static Path folder() {
        return folder(Path.of(System.getProperty("sdm.home", ".")));
    }

    /** The default model's folder in the repository at {@code home}. */
    static Path folder(Path home) {
        Path folder = home.resolve("models").resolve("emoji-sd");
        if (!Files.isDirectory(folder)) {
            throw new SdmException("The embedded default model is not at " + folder.toAbsolutePath()
                    + "; run from the repository root or pass --model");
        }
        return folder;
    }
}
