package io.github.sdm.core;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.spi.TextConditioning;
import io.github.sdm.core.spi.TextEncoderNetwork;
import io.github.sdm.core.tokenizer.ClipTokenizer;
import io.github.sdm.core.tokenizer.TokenizedPrompt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Prompt text to the UNet's text conditioning, with the guidance batch laid out as diffusers does. */
final class PromptEncoder {
    private static final Logger LOG = LoggerFactory.getLogger(PromptEncoder.class);

    private final ClipTokenizer tokenizer;
    private final TextEncoderNetwork textEncoder;

    public PromptEncoder(ClipTokenizer tokenizer, TextEncoderNetwork textEncoder) {
        this.tokenizer = tokenizer;
        this.textEncoder = textEncoder;
    }

    /**
     * The conditioning for {@code batch} images: batch {@code batch}, or with guidance {@code 2 * batch}
     * holding the negative prompt's entries first.
     *
     * @param clipSkip the text encoder layer counted from the end (1 = last)
     */
    public TextConditioning conditioning(String prompt, String negativePrompt, int batch, boolean guidance,
            int clipSkip) {
        if (clipSkip > textEncoder.numHiddenLayers()) {
            throw new InvalidRequestException("clip skip " + clipSkip + " is more than the text encoder's "
                    + textEncoder.numHiddenLayers() + " layers");
        }
        TextConditioning conditional = embed(prompt, "prompt", clipSkip).repeatEach(batch);
        if (!guidance) {
            return conditional;
        }
        TextConditioning unconditional = embed(negativePrompt, "negative prompt", clipSkip).repeatEach(batch);
        return TextConditioning.concat(unconditional, conditional);
    }

    private TextConditioning embed(String text, String what, int clipSkip) {
        TokenizedPrompt tokens = tokenizer.encode(text);
        if (tokens.truncated()) {
            // diffusers truncates too, with the same kind of warning
            LOG.warn("{}: {}", what, tokens.truncationWarning());
        }
        return textEncoder.encode(new long[][] {tokens.inputIds()}, clipSkip);
    }
}
