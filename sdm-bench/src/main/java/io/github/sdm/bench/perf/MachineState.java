package io.github.sdm.bench.perf;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the measurement tools print around a measurement so its numbers can be judged: the machine's load before and
 * after (a shared machine's other jobs move wall times), and the engine's thread setting.
 */
public final class MachineState {
    private MachineState() {
    }

    /** {@code /proc/loadavg}: the 1, 5 and 15 minute load averages and the running/total task counts. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * Loads the PyTorch engine, sets its intra-op thread count ({@code 0} leaves the default) and describes the
     * setting, with {@code OMP_WAIT_POLICY} (spinning idle OpenMP threads halve throughput on a busy machine).
     */
    public static String engineThreads(int threads) {
        Engine.getEngine("PyTorch");
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
        return "engine threads: " + JniUtils.getNumThreads() + ", OMP_WAIT_POLICY=" + System.getenv("OMP_WAIT_POLICY");
    }
}
