package io.github.sdm.bench.cli;

import io.github.sdm.core.ProgressListener;
import io.github.sdm.core.StepProgress;
import java.io.PrintWriter;

/** A one-line progress bar on the terminal, redrawn after every step. */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final long start = System.nanoTime();

    ProgressBar(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onStep(StepProgress p) {
        int filled = WIDTH * p.step() / p.totalSteps();
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("\r[%s%s] %d/%d  t=%.0f  %.1fs", "#".repeat(filled), " ".repeat(WIDTH - filled), p.step(),
                p.totalSteps(), p.timestep(), seconds);
        if (p.step() == p.totalSteps()) {
            out.println();
        }
        out.flush();
    }
}
