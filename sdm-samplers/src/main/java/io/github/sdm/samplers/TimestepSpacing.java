package io.github.sdm.samplers;

/**
 * How inference timesteps are spread over the training timesteps ({@code timestep_spacing}); see table 2 of
 * "Common Diffusion Noise Schedules and Sample Steps are Flawed" (arXiv 2305.08891).
 */
public enum TimestepSpacing {
    /** Evenly spaced from 0 to {@code num_train_timesteps - 1}, both ends included. */
    LINSPACE("linspace"),
    /** Multiples of {@code num_train_timesteps / steps} from 0, plus {@code steps_offset}. */
    LEADING("leading"),
    /** Evenly spaced down from {@code num_train_timesteps - 1}. */
    TRAILING("trailing");

    private final String configName;

    TimestepSpacing(String configName) {
        this.configName = configName;
    }

    /**
     * The diffusers spelling.
     *
     * @return the {@code timestep_spacing} value, e.g. {@code "leading"}
     */
    public String configName() {
        return configName;
    }

    static TimestepSpacing read(SamplerConfig config, TimestepSpacing fallback) {
        String value = config.getString("timestep_spacing", fallback.configName);
        for (TimestepSpacing s : values()) {
            if (s.configName.equals(value)) {
                return s;
            }
        }
        throw new SamplerConfigException("timestep_spacing", value, "must be one of linspace, leading, trailing");
    }
}
