package io.github.sdm.core.spi;

/**
 * A backend's answer to "can you load this model?": yes, or no with the reason (shown to the user when no
 * backend loads the model, e.g. {@code "unet/ has model.onnx, not safetensors"}).
 */
public record LoadVerdict(boolean loadable, String reason) {

    private static final LoadVerdict YES = new LoadVerdict(true, "");

    public LoadVerdict {
        if (!loadable && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a refusal must give its reason");
        }
    }

    public static LoadVerdict yes() {
        return YES;
    }

    public static LoadVerdict no(String reason) {
        return new LoadVerdict(false, reason);
    }
}
