package io.github.sdm.samplers;

/**
 * A sampler configuration or a run request that cannot be honoured: an unknown sampler name, a field of the wrong
 * type, an unsupported value, an impossible step count. The message names the field (or parameter) and the value.
 *
 * <p>sdm-samplers does not depend on sdm-core, so this is a plain {@link RuntimeException}; callers in sdm-core wrap
 * it into their own exception hierarchy where needed.
 */
public class SamplerConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * The configuration field or run parameter at fault.
     */
    private final String field;
    /**
     * The offending value as text.
     */
    private final String value;

    /**
     * A setting that cannot be honoured; the message reads {@code sampler setting '<field>' = <value>: <problem>}.
     *
     * @param field the configuration field, e.g. {@code beta_schedule}
     * @param value the offending value (strings are quoted in the message)
     * @param problem what is wrong with it, e.g. {@code "must be a number"}
     */
    public SamplerConfigException(String field, Object value, String problem) {
        this(field, value, problem, true);
    }

    private SamplerConfigException(String field, Object value, String text, boolean setting) {
        super(setting ? format(field, value, text) : text);
        this.field = field;
        this.value = String.valueOf(value);
    }

    /**
     * A run parameter at fault ({@code num_inference_steps}, {@code strength}), which is no sampler setting, so its
     * message is given whole, in the caller's terms.
     */
    static SamplerConfigException ofRunParameter(String parameter, Object value, String message) {
        return new SamplerConfigException(parameter, value, message, false);
    }

    /**
     * The configuration field or run parameter at fault, e.g. {@code beta_schedule} or {@code num_inference_steps}.
     *
     * @return the field's diffusers name
     */
    public String field() {
        return field;
    }

    /**
     * The offending value as text.
     *
     * @return {@code String.valueOf} the value
     */
    public String value() {
        return value;
    }

    private static String format(String field, Object value, String problem) {
        String shown = value instanceof CharSequence ? "\"" + value + "\"" : String.valueOf(value);
        return "sampler setting '" + field + "' = " + shown + ": " + problem;
    }
}
