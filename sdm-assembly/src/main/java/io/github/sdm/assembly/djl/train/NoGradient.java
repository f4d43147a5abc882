package io.github.sdm.assembly.djl.train;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Runs optimizer bookkeeping (EMA, norms, checkpoint reads) with PyTorch's autograd recording off, so that
 * no operation on a trainable weight becomes part of a graph; restores the thread's previous mode.
 */
final class NoGradient {
    private NoGradient() {
    }

    static void run(Runnable body) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            body.run();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }
}
