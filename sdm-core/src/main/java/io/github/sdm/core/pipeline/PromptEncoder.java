package io.github.sdm.core.pipeline;

import io.github.sdm.core.spi.TextEncoderNetwork;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.core.tokenizer.ClipTokenizer;
import io.github.sdm.core.tokenizer.TokenizedPrompt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Prompt text to the UNet's cross-attention context, with the guidance batch laid out as diffusers does. */
public final class PromptEncoder {
    private static final Logger LOG = LoggerFactory.getLogger(PromptEncoder.class);

    private final ClipTokenizer tokenizer;
    private final TextEncoderNetwork textEncoder;

    public PromptEncoder(ClipTokenizer tokenizer, TextEncoderNetwork textEncoder) {
        this.tokenizer = tokenizer;
        this.textEncoder = textEncoder;
    }

    /**
     * The context for {@code batch} images: {@code [batch, tokens, dim]}, or with guidance
     * {@code [2 * batch, tokens, dim]} holding the negative prompt's embeddings first.
     */
    public FloatTensor context(String prompt, String negativePrompt, int batch, boolean guidance) {
        FloatTensor conditional = embed(prompt, "prompt").repeatEach(batch);
        if (!guidance) {
            return conditional;
        }
        FloatTensor unconditional = embed(negativePrompt, "negative prompt").repeatEach(batch);
        return FloatTensor.concat(unconditional, conditional);
    }

    private FloatTensor embed(String text, String what) {
        TokenizedPrompt tokens = tokenizer.encode(text);
        if (tokens.truncated()) {
            // diffusers truncates too, with the same kind of warning
            LOG.warn("{}: {}", what, tokens.truncationWarning());
        }
        return textEncoder.encode(new long[][] {tokens.inputIds()});
    }
}
