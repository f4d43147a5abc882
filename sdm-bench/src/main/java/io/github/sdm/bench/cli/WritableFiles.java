package io.github.sdm.bench.cli;

import io.github.sdm.core.error.InvalidRequestException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The check of an output file before the work that fills it: a generation must not end in "cannot write". */
final class WritableFiles {
    private WritableFiles() {
    }

    /** Throws an error naming {@code option} unless {@code file} can be created or replaced. */
    static void require(String option, Path file) {
        Path absolute = file.toAbsolutePath();
        Path folder = absolute.getParent();
        if (Files.isDirectory(absolute)) {
            throw new InvalidRequestException(option + ": " + file + " is a folder; give a file name");
        }
        if (folder == null || !Files.isDirectory(folder)) {
            throw new InvalidRequestException(option + ": the folder " + folder + " of " + file + " does not exist");
        }
        if (Files.exists(absolute) ? !Files.isWritable(absolute) : !Files.isWritable(folder)) {
            throw new InvalidRequestException(option + ": cannot write " + file + " (no write permission"
                    + (Files.exists(absolute) ? ")" : " in " + folder + ")"));
        }
    }
}
