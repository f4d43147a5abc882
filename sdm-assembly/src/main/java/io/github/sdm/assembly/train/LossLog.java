package io.github.sdm.assembly.train;

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
 * Appends every step's report to a CSV file ({@code step,loss,learning_rate,gradient_norm,images_per_second}),
 * the loss curve of a run; a resumed run appends to the same file.
 */
public final class LossLog implements TrainingListener, AutoCloseable {
    private final Path file;
    private final Writer writer;

    public LossLog(Path file) {
        this.file = file;
        try {
            boolean fresh = !Files.exists(file);
            Files.createDirectories(file.toAbsolutePath().getParent());
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            if (fresh) {
                writer.write("step,loss,learning_rate,gradient_norm,images_per_second\n");
            }
        } catch (IOException e) {
            throw new SdmException("Cannot open loss log " + file + ": " + e, e);
        }
    }

    @Override
    public void onStep(StepReport r) {
        try {
            writer.write(String.format(Locale.ROOT, "%d,%.6f,%.6e,%.4f,%.2f%n", r.step(), r.loss(), r.learningRate(),
                    r.gradientNorm(), r.imagesPerSecond()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write loss log " + file, e);
        }
    }

    @Override
    public void onCheckpoint(long step, Path folder) {
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
