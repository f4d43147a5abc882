package io.github.sdm.assembly.students;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A model folder's parts other than its UNet: what a student (assembled or distilled) takes from its teacher, so
 * that the student's folder loads alone.
 */
public final class ModelFolders {
    /** The UNet's component folder in a model folder. */
    public static final String UNET = "unet";

    private ModelFolders() {
    }

    /** Copies model folder {@code teacher} into {@code out}, all but its {@code unet/}. */
    public static void copyWithoutUnet(Path teacher, Path out) {
        Path skipped = teacher.resolve(UNET);
        try (Stream<Path> paths = Files.walk(teacher)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (path.startsWith(skipped)) {
                    continue;
                }
                Path target = out.resolve(teacher.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + teacher + " into " + out + ": " + e.getMessage(), e);
        }
    }
}
