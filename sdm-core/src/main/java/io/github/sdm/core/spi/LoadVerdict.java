package io.github.sdm.core.spi;

/**
 * A backend's answer to "can you load this model?": yes, or no with the reason (shown to the user when no
 * backend loads the model, e.g. {@code "unet/ has model.onnx, not safetensors"}).
 *
 * @param loadable whether the backend can load the model
 * @param reason why not; {@code ""} for yes
 */
public record LoadVerdict(boolean loadable, String reason) {

    private static final LoadVerdict YES = new LoadVerdict(true, "");

    /**
     * Checks that a refusal gives its reason.
     *
     * @param loadable whether the backend can load the model
     * @param reason why not; required when not loadable
     * @throws IllegalArgumentException if a refusal has no reason
     */
    public LoadVerdict {
        if (!loadable && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a refusal must give its reason");
        }
    }

    /**
     * The backend can load the model.
     *
     * @return a loadable verdict with an empty reason
     */
    public static LoadVerdict yes() {
        return YES;
    }

    /**
     * The backend cannot load the model.
     *
     * @param reason why, for the user (e.g. {@code "unet/ has model.onnx, not safetensors"})
     * @return a refusal
     * @throws IllegalArgumentException if {@code reason} is null or blank
     */
    public static LoadVerdict no(String reason) {
        return new LoadVerdict(false, reason);
    }
}
