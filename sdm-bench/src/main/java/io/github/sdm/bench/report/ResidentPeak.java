package io.github.sdm.bench.report;

import io.github.sdm.bench.pipeline.PeakMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Linux's peak resident set ({@code VmHWM}) over a span: writing {@code 5} to {@code /proc/self/clear_refs} resets
 * the peak to the current resident size (Linux 4.0 and later), so the peak read after a generation is that
 * generation's, weights included. Where the reset is refused, {@link #resettable()} turns false and the peaks are
 * the process's since it started.
 */
public final class ResidentPeak implements PeakMemory {
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private static final Path STATUS = Path.of("/proc/self/status");
    private boolean resettable = true;

    @Override
    public void reset() {
        if (!resettable) {
            return;
        }
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException | RuntimeException e) {
            resettable = false;
        }
    }

    @Override
    public long peakBytes() {
        return MemoryUsage.peakResident(STATUS);
    }

    /** Whether every reset so far worked (false: the peaks are the process's since its start). */
    public boolean resettable() {
        return resettable;
    }
}
