package io.github.sdm.core.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Function;

/**
 * The check made before sdm opens a file it reads (weights, tokenizer files, images): it must be a regular
 * file, after following symbolic links (Hugging Face caches link every file of a snapshot to a blob).
 * Anything else is refused up front, because opening a named pipe blocks until some other process writes
 * to it, and a device may never end.
 */
public final class RegularFiles {
    // The file type bits of a POSIX st_mode.
    private static final int TYPE_MASK = 0170000;
    private static final int FIFO = 0010000;
    private static final int CHARACTER_DEVICE = 0020000;
    private static final int BLOCK_DEVICE = 0060000;
    private static final int SOCKET = 0140000;

    private RegularFiles() {
    }

    /**
     * Throws {@code error} applied to a message naming {@code path} and what it is, unless {@code path} is a
     * regular file or a link to one. A path that does not exist passes: the caller's own "not found" message
     * says best which file was expected.
     */
    public static void check(Path path, Function<String, ? extends RuntimeException> error) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException missingOrUnreadable) {
            return; // opening it reports the problem with the caller's wording
        }
        if (attributes.isRegularFile()) {
            return;
        }
        throw error.apply(path + " is " + kind(path, attributes)
                + ", not a regular file; sdm reads only regular files (and symbolic links to them)");
    }

    private static String kind(Path path, BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        try {
            int type = (Integer) Files.getAttribute(path, "unix:mode") & TYPE_MASK;
            switch (type) {
                case FIFO:
                    return "a named pipe (FIFO)";
                case CHARACTER_DEVICE:
                    return "a character device";
                case BLOCK_DEVICE:
                    return "a block device";
                case SOCKET:
                    return "a socket";
                default:
                    break;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException notPosix) {
            // fall through to the generic description
        }
        return "a special file";
    }
}
