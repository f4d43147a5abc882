package io.github.sdm.assembly.distill;

import io.github.sdm.core.error.SdmException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Appends each distillation step's loss terms, unweighted, to a CSV file ({@code step,task,output,feature}),
 * beside the loss log of their weighted sum; a resumed run appends to the same file.
 */
public final class LossTermsLog implements AutoCloseable {
    private final Path file;
    private final Writer writer;

    public LossTermsLog(Path file) {
        this.file = file;
        try {
            boolean fresh = !Files.exists(file);
            Files.createDirectories(file.toAbsolutePath().getParent());
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            if (fresh) {
                writer.write("step,task,output,feature\n");
            }
        } catch (IOException e) {
            throw new SdmException("Cannot open loss log " + file + ": " + e, e);
        }
    }

    /** Writes step {@code step}'s (1-based) terms. */
    public void write(long step, LossTerms terms) {
        try {
            writer.write(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f%n", step, terms.task(), terms.output(),
                    terms.feature()));
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
