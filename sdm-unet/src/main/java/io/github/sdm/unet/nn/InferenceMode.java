package io.github.sdm.unet.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** Turns autograd recording off for the calling thread (PyTorch's grad mode is thread-local). */
final class InferenceMode {
    private InferenceMode() {
    }

    static void ensure() {
        if ("PyTorch".equals(Engine.getDefaultEngineName()) && JniUtils.isGradMode()) {
            JniUtils.setGradMode(false);
        }
    }
}
