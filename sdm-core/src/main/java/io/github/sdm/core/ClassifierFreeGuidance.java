package io.github.sdm.core;

/** Combines the [unconditional, conditional] halves of a guided UNet batch, as diffusers does. */
final class ClassifierFreeGuidance {
    private ClassifierFreeGuidance() {
    }

    /** {@code uncond + scale * (cond - uncond)} over the two halves of {@code prediction}. */
    static float[] combine(float[] prediction, float scale) {
        int half = prediction.length / 2;
        float[] out = new float[half];
        for (int j = 0; j < half; j++) {
            float uncond = prediction[j];
            out[j] = uncond + scale * (prediction[half + j] - uncond);
        }
        return out;
    }
}
