package io.github.sdm.samplers;

import java.util.Locale;

/** What the denoising model predicts ({@code prediction_type}). */
public enum PredictionType {
    /** The noise that was added ({@code epsilon}); Stable Diffusion 1.x and 2.x base. */
    EPSILON("epsilon"),
    /** The velocity {@code alpha_t * eps - sigma_t * x0} ({@code v_prediction}); Stable Diffusion 2.x 768. */
    V_PREDICTION("v_prediction"),
    /** The clean sample itself ({@code sample}). */
    SAMPLE("sample");

    private final String configName;

    PredictionType(String configName) {
        this.configName = configName;
    }

    /**
     * The diffusers spelling.
     *
     * @return the {@code prediction_type} value, e.g. {@code "v_prediction"}
     */
    public String configName() {
        return configName;
    }

    static PredictionType read(SamplerConfig config) {
        String value = config.getString("prediction_type", EPSILON.configName);
        for (PredictionType t : values()) {
            if (t.configName.equals(value.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new SamplerConfigException("prediction_type", value, "must be one of epsilon, v_prediction, sample");
    }

    /**
     * The predicted clean sample x0, for a sample {@code x_t = alpha_t * x0 + sigma_t * eps} (the discrete-time
     * samplers pass {@code sqrt(alphas_cumprod[t])} and {@code sqrt(1 - alphas_cumprod[t])}). A new array; per element
     * in float32, in diffusers' order of operations.
     */
    float[] predictedSample(float[] modelOutput, float[] sample, float alphaT, float sigmaT) {
        float[] x0 = new float[sample.length];
        switch (this) {
            case EPSILON -> {
                for (int i = 0; i < x0.length; i++) {
                    x0[i] = (sample[i] - sigmaT * modelOutput[i]) / alphaT;
                }
            }
            case V_PREDICTION -> {
                for (int i = 0; i < x0.length; i++) {
                    x0[i] = alphaT * sample[i] - sigmaT * modelOutput[i];
                }
            }
            case SAMPLE -> System.arraycopy(modelOutput, 0, x0, 0, x0.length);
        }
        return x0;
    }

    /**
     * The predicted noise eps, for a sample {@code x_t = alpha_t * x0 + sigma_t * eps}. A new array. {@code
     * SAMPLE.predictedNoise(x0, ...)} is the noise a (clipped) x0 implies.
     */
    float[] predictedNoise(float[] modelOutput, float[] sample, float alphaT, float sigmaT) {
        float[] eps = new float[sample.length];
        switch (this) {
            case EPSILON -> System.arraycopy(modelOutput, 0, eps, 0, eps.length);
            case V_PREDICTION -> {
                for (int i = 0; i < eps.length; i++) {
                    eps[i] = alphaT * modelOutput[i] + sigmaT * sample[i];
                }
            }
            case SAMPLE -> {
                for (int i = 0; i < eps.length; i++) {
                    eps[i] = (sample[i] - alphaT * modelOutput[i]) / sigmaT;
                }
            }
        }
        return eps;
    }

    /**
     * The predicted clean sample x0 (k-diffusion's "denoised") for the sigma-based samplers' sample
     * {@code x = x0 + sigma * eps}, whose model saw {@code x / sqrt(sigma^2 + 1)}. A new array.
     */
    float[] predictedSampleAtSigma(float[] modelOutput, float[] sample, float sigma) {
        float[] x0 = new float[sample.length];
        switch (this) {
            case EPSILON -> {
                for (int i = 0; i < x0.length; i++) {
                    x0[i] = sample[i] - sigma * modelOutput[i];
                }
            }
            case V_PREDICTION -> {
                // diffusers' c_out / c_skip form; predictedSample at alpha_t = 1 / sqrt(sigma^2 + 1) rounds differently
                float vScale = -sigma / (float) Math.sqrt(sigma * sigma + 1f);
                float vSkip = sigma * sigma + 1f;
                for (int i = 0; i < x0.length; i++) {
                    x0[i] = modelOutput[i] * vScale + sample[i] / vSkip;
                }
            }
            case SAMPLE -> System.arraycopy(modelOutput, 0, x0, 0, x0.length);
        }
        return x0;
    }
}
