package io.github.sdm.assembly.distill;

import io.github.sdm.assembly.train.CsvLog;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Appends each distillation step's loss terms, unweighted, to a CSV file ({@code step,task,output,feature}),
 * beside the loss log of their weighted sum; a resumed run appends to the same file.
 */
public final class LossTermsLog implements AutoCloseable {
    private final CsvLog csv;

    public LossTermsLog(Path file) {
        csv = new CsvLog(file, "step,task,output,feature");
    }

    /** Writes step {@code step}'s (1-based) terms. */
    public void write(long step, LossTerms terms) {
        csv.row(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f", step, terms.task(), terms.output(), terms.feature()));
    }

    @Override
    public void close() {
        csv.close();
    }
}
