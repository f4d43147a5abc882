package io.github.sdm.unet.djl.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The engine's autograd recording for the calling thread (PyTorch's grad mode is thread-local): off for
 * inference passes, on for training passes, off while weights are replaced or updated in place.
 */
public final class GradMode {
    private GradMode() {
    }

    /** Switches recording to {@code recording} if it is not already. */
    static void ensure(boolean recording) {
        if (isPyTorch() && JniUtils.isGradMode() != recording) {
            JniUtils.setGradMode(recording);
        }
    }

    /** Whether the calling thread records operations for autograd. */
    static boolean isRecording() {
        return isPyTorch() && JniUtils.isGradMode();
    }

    /**
     * Runs {@code body} with recording off, then restores the thread's previous mode: for work on trainable
     * weights that must not become part of a graph (optimizer updates, an EMA, checkpoint reads).
     *
     * @param body the work to run
     */
    public static void withoutRecording(Runnable body) {
        if (!isPyTorch()) {
            body.run();
            return;
        }
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            body.run();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    private static boolean isPyTorch() {
        return "PyTorch".equals(Engine.getDefaultEngineName());
    }
}
