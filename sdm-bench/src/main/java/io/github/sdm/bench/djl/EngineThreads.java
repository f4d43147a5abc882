package io.github.sdm.bench.djl;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** The engine's intra-op thread count, as the measurement tools set and report it. */
public final class EngineThreads {
    private EngineThreads() {
    }

    /**
     * Loads the PyTorch engine, sets its intra-op thread count ({@code 0} leaves the default) and describes the
     * setting, with {@code OMP_WAIT_POLICY} (spinning idle OpenMP threads halve throughput on a busy machine).
     */
    public static String set(int threads) {
        Engine.getEngine("PyTorch");
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
        return "engine threads: " + JniUtils.getNumThreads() + ", OMP_WAIT_POLICY=" + System.getenv("OMP_WAIT_POLICY");
    }
}
