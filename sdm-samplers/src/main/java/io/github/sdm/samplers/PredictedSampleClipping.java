package io.github.sdm.samplers;

import java.util.Arrays;
import java.util.Set;

/**
 * What diffusers does to the predicted clean sample x0 before using it: dynamic thresholding (Imagen, arXiv
 * 2205.11487: clip each image at a quantile of its absolute values and rescale) or else plain clipping to
 * {@code [-clip_sample_range, clip_sample_range]}.
 */
final class PredictedSampleClipping {

    static final Set<String> CLIP_FIELDS = Set.of("clip_sample", "clip_sample_range");
    static final Set<String> THRESHOLD_FIELDS = Set.of("thresholding", "dynamic_thresholding_ratio", "sample_max_value");

    private final boolean thresholding;
    private final float ratio;
    private final float maxValue;
    private final boolean clip;
    private final float range;

    private PredictedSampleClipping(boolean thresholding, float ratio, float maxValue, boolean clip, float range) {
        this.thresholding = thresholding;
        this.ratio = ratio;
        this.maxValue = maxValue;
        this.clip = clip;
        this.range = range;
    }

    /**
     * @param clipDefault the class's default for {@code clip_sample}, or {@code null} if the class has no clipping
     * @param thresholdingSupported whether the class has dynamic thresholding
     */
    static PredictedSampleClipping read(SamplerConfig config, Boolean clipDefault, boolean thresholdingSupported) {
        boolean thresholding = thresholdingSupported && config.getBoolean("thresholding", false);
        double ratio = thresholdingSupported ? config.getDouble("dynamic_thresholding_ratio", 0.995) : 0.995;
        double maxValue = thresholdingSupported ? config.getDouble("sample_max_value", 1.0) : 1.0;
        if (thresholding && !(ratio >= 0 && ratio <= 1)) {
            throw new SamplerConfigException("dynamic_thresholding_ratio", ratio, "must lie in [0, 1]");
        }
        if (thresholding && !(maxValue >= 1)) {
            throw new SamplerConfigException("sample_max_value", maxValue, "must be at least 1");
        }
        boolean clip = clipDefault != null && config.getBoolean("clip_sample", clipDefault);
        double range = clipDefault != null ? config.getDouble("clip_sample_range", 1.0) : 1.0;
        if (clip && !(range > 0)) {
            throw new SamplerConfigException("clip_sample_range", range, "must be positive");
        }
        return new PredictedSampleClipping(thresholding, (float) ratio, (float) maxValue, clip, (float) range);
    }

    boolean isIdentity() {
        return !thresholding && !clip;
    }

    /** Applies thresholding or clipping in place; {@code batchSize} images share {@code x0}. */
    void apply(float[] x0, int batchSize) {
        if (thresholding) {
            threshold(x0, batchSize);
        } else if (clip) {
            for (int i = 0; i < x0.length; i++) {
                x0[i] = Math.max(-range, Math.min(range, x0[i]));
            }
        }
    }

    private void threshold(float[] x0, int batchSize) {
        if (x0.length % batchSize != 0) {
            throw new IllegalArgumentException(
                    "sample of " + x0.length + " values does not split into " + batchSize + " images");
        }
        int perImage = x0.length / batchSize;
        float[] magnitudes = new float[perImage];
        for (int b = 0; b < batchSize; b++) {
            int offset = b * perImage;
            for (int i = 0; i < perImage; i++) {
                magnitudes[i] = Math.abs(x0[offset + i]);
            }
            float s = Math.max(1f, Math.min(maxValue, quantile(magnitudes, ratio)));
            for (int i = 0; i < perImage; i++) {
                x0[offset + i] = Math.max(-s, Math.min(s, x0[offset + i])) / s;
            }
        }
    }

    /** {@code torch.quantile} with linear interpolation, in float32 (sorts {@code values} in place). */
    private static float quantile(float[] values, float q) {
        Arrays.sort(values);
        if (Float.isNaN(values[values.length - 1])) {
            return Float.NaN;
        }
        float rank = q * (float) (values.length - 1);
        int below = (int) rank;
        int above = (int) Math.ceil(rank);
        float weight = rank - below;
        float lo = values[below];
        float hi = values[above];
        return Math.abs(weight) < 0.5f ? lo + weight * (hi - lo) : hi - (hi - lo) * (1 - weight);
    }
}
