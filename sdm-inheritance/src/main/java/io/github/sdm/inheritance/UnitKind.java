package io.github.sdm.inheritance;

import java.util.regex.Pattern;

/**
 * A unit of diffusers' {@code BasicTransformerBlock}. Each is residual ({@code h = unit(norm(h)) + h}), so
 * reusing one reuses its contribution to the hidden state, not the hidden state itself.
 */
public enum UnitKind {
    /** Self-attention over the image tokens: the most expensive unit at high resolution. */
    ATTN1("attn1"),
    /** Cross-attention to the text embedding. */
    ATTN2("attn2"),
    /** The GEGLU feed-forward network. */
    FF("ff");

    private final String token;
    private final Pattern namePattern;

    UnitKind(String token) {
        this.token = token;
        this.namePattern = Pattern.compile(".*\\.transformer_blocks\\.\\d+\\." + token);
    }

    /**
     * The part-name suffix and spec word: {@code attn1}, {@code attn2} or {@code ff}.
     *
     * @return the token
     */
    public String token() {
        return token;
    }

    /**
     * Whether {@code partName} names a unit of this kind, e.g. {@code ...transformer_blocks.0.attn2}.
     *
     * @param partName a diffusers part name
     * @return true if it ends in {@code transformer_blocks.<i>.<token>}
     */
    public boolean matches(String partName) {
        return namePattern.matcher(partName).matches();
    }

    /**
     * The kind spelled {@code token}, or null.
     *
     * @param token {@code attn1}, {@code attn2} or {@code ff} (case-sensitive)
     * @return the kind, or null for any other word
     */
    public static UnitKind fromToken(String token) {
        for (UnitKind kind : values()) {
            if (kind.token.equals(token)) {
                return kind;
            }
        }
        return null;
    }
}
