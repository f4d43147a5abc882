package io.github.sdm.assembly.train;

import io.github.sdm.core.error.SdmException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A CSV file a run appends one row per step to: the header is written when the file is new, and a resumed run
 * appends to the same file. Rows are buffered; {@link #flush} makes them visible (at checkpoints).
 */
public final class CsvLog implements AutoCloseable {
    private final Path file;
    private final Writer writer;

    /** Opens {@code file} for appending, creating it (and its folder) with {@code header} when it is new. */
    public CsvLog(Path file, String header) {
        this.file = file;
        try {
            boolean fresh = !Files.exists(file);
            Files.createDirectories(file.toAbsolutePath().getParent());
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            if (fresh) {
                writer.write(header + "\n");
            }
        } catch (IOException e) {
            throw new SdmException("Cannot open loss log " + file + ": " + e, e);
        }
    }

    /** Appends one row (without its line end). */
    public void row(String line) {
        try {
            writer.write(line + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write loss log " + file, e);
        }
    }

    public void flush() {
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write loss log " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new SdmException("Cannot close loss log " + file + ": " + e, e);
        }
    }
}
