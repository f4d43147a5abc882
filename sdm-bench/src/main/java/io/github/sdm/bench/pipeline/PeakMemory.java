package io.github.sdm.bench.pipeline;

/** The process's peak resident memory over one generation: reset before it, read after it. */
public interface PeakMemory {

    /** Measures nothing: every peak reads -1. */
    PeakMemory NONE = new PeakMemory() {
        @Override
        public void reset() {
        }

        @Override
        public long peakBytes() {
            return -1;
        }
    };

    /** Starts a new span (where the peak cannot be reset, spans report the peak since the process started). */
    void reset();

    /** The peak resident bytes since {@link #reset()}, or -1 where unknown. */
    long peakBytes();
}
