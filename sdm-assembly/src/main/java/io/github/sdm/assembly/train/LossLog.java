package io.github.sdm.assembly.train;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Appends every step's report to a CSV file ({@code step,loss,learning_rate,gradient_norm,images_per_second}),
 * the loss curve of a run; a resumed run appends to the same file. Written out at every checkpoint.
 */
public final class LossLog implements TrainingListener, AutoCloseable {
    private final CsvLog csv;

    public LossLog(Path file) {
        csv = new CsvLog(file, "step,loss,learning_rate,gradient_norm,images_per_second");
    }

    @Override
    public void onStep(StepReport r) {
        csv.row(String.format(Locale.ROOT, "%d,%.6f,%.6e,%.4f,%.2f", r.step(), r.loss(), r.learningRate(),
                r.gradientNorm(), r.imagesPerSecond()));
    }

    @Override
    public void onCheckpoint(long step, Path folder) {
        csv.flush();
    }

    @Override
    public void close() {
        csv.close();
    }
}
