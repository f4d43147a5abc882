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

    /** The diffusers spelling. */
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
}
