package io.github.sdm.inheritance;

import java.util.Locale;

/** The granularity at which activations of an earlier UNet call are reused. */
public enum InheritanceLevel {
    /**
     * DeepCache: the deep branch of the UNet (everything below shallow depth {@code k}) runs only at key
     * steps; other steps run the shallow branch on the deep feature cached at the last key step.
     */
    BLOCK,
    /** Chosen ResNet, transformer and resampling layers inside the blocks are skipped at non-key steps. */
    LAYER,
    /** Single units of the transformer blocks ({@code attn1}, {@code attn2}, {@code ff}) are skipped at non-key steps. */
    UNIT;

    /**
     * The word used in a spec: {@code block}, {@code layer} or {@code unit}.
     *
     * @return the lower-case name
     */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
