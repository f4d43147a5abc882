package io.github.sdm.core;

import io.github.sdm.core.error.InvalidRequestException;

/** Combines the [unconditional, conditional] halves of a guided UNet batch, as diffusers does. */
final class ClassifierFreeGuidance {
    /**
     * The largest magnitude whose square still fits in float32 (about 1.8e19). A prediction beyond it is no
     * usable number: the latents it makes reach the networks' normalizations (GroupNorm, LayerNorm), whose
     * variances are means of squares, overflow there, and the next step is NaN.
     */
    static final float LARGEST_NORMALIZABLE = (float) Math.sqrt(Float.MAX_VALUE);

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

    /**
     * Refuses a guided prediction beyond {@link #LARGEST_NORMALIZABLE} (or not finite) when the network's own
     * prediction is within it: then the guidance scale alone put it there, and the error names the scale and
     * the largest one that would have stayed in range at this step.
     *
     * @param step the 1-based step, for the message
     */
    static void requireInRange(float[] prediction, float[] guided, double scale, int step) {
        float guidedMax = largestMagnitude(guided);
        if (guidedMax <= LARGEST_NORMALIZABLE || largestMagnitude(prediction) > LARGEST_NORMALIZABLE) {
            return;
        }
        int half = prediction.length / 2;
        float largestGap = 0f;
        for (int j = 0; j < half; j++) {
            largestGap = Math.max(largestGap, Math.abs(prediction[half + j] - prediction[j]));
        }
        throw new InvalidRequestException("guidance scale " + scale + " is out of range: at step " + step
                + " the guided prediction uncond + scale * (cond - uncond) reaches " + guidedMax + ", beyond "
                + LARGEST_NORMALIZABLE + " (the largest value whose square fits in float32, which the networks' "
                + "normalizations need), while the network's own predictions stay within it; at this step the scale "
                + "must stay below about " + (float) (LARGEST_NORMALIZABLE / largestGap)
                + " (diffusers' usual values are 1 to 20)");
    }

    /** The largest absolute value, or infinity when any value is NaN or infinite. */
    private static float largestMagnitude(float[] values) {
        float max = 0f;
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return Float.POSITIVE_INFINITY;
            }
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
