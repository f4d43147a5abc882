package io.github.sdm.core;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.spi.SessionExtension;
import io.github.sdm.core.spi.TextConditioning;
import io.github.sdm.core.spi.TextEncoderNetwork;
import io.github.sdm.core.tokenizer.ClipTokenizer;
import io.github.sdm.core.tokenizer.TokenizedPrompt;
import java.util.List;
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
     * The prompt's conditioning for one image, and the negative prompt's under guidance; {@link
     * PromptEmbeddings#forBatch} lays them out for a batch.
     *
     * @param clipSkip the text encoder layer counted from the end (1 = last)
     * @param extensions the generation's extensions (a per-generation LoRA reaches the text encoder)
     */
    public PromptEmbeddings embed(String prompt, String negativePrompt, boolean guidance, int clipSkip,
            List<SessionExtension> extensions) {
        if (clipSkip > textEncoder.numHiddenLayers()) {
            throw new InvalidRequestException("clip skip " + clipSkip + " is more than the text encoder's "
                    + textEncoder.numHiddenLayers() + " layers");
        }
        long[] positive = tokenize(prompt, "prompt");
        if (!guidance) {
            return new PromptEmbeddings(textEncoder.encode(new long[][] {positive}, clipSkip, extensions), null);
        }
        long[] negative = tokenize(negativePrompt, "negative prompt");
        if (negative.length != positive.length) {
            // a batch needs one length; CLIP's tokenizer pads both to the same, so this is for other tokenizers
            return new PromptEmbeddings(textEncoder.encode(new long[][] {positive}, clipSkip, extensions),
                    textEncoder.encode(new long[][] {negative}, clipSkip, extensions));
        }
        // one call of batch 2 instead of two of batch 1: diffusers' order, negative first
        TextConditioning both = textEncoder.encode(new long[][] {negative, positive}, clipSkip, extensions);
        return new PromptEmbeddings(both.slice(1, 2), both.slice(0, 1));
    }

    /** One image's conditioning: the prompt's, and the negative prompt's when guidance runs (else null). */
    record PromptEmbeddings(TextConditioning conditional, TextConditioning unconditional) {

        /**
         * The conditioning for {@code batch} images: batch {@code batch}, or with guidance {@code 2 * batch}
         * holding the negative prompt's entries first, as diffusers lays it out.
         */
        TextConditioning forBatch(int batch) {
            if (unconditional == null) {
                return conditional.repeatEach(batch);
            }
            return TextConditioning.concat(unconditional.repeatEach(batch), conditional.repeatEach(batch));
        }

        /** Floats of one image's conditioning, both halves under guidance. */
        long floatsPerImage() {
            return floats(conditional) + (unconditional == null ? 0 : floats(unconditional));
        }

        private static long floats(TextConditioning c) {
            long n = (long) c.hiddenStates().size() + (c.pooled() == null ? 0 : c.pooled().size());
            for (var extra : c.extras().values()) {
                n += extra.size();
            }
            return n;
        }
    }

    private long[] tokenize(String text, String what) {
        TokenizedPrompt tokens = tokenizer.encode(text);
        if (tokens.truncated()) {
            // diffusers truncates too, with the same kind of warning
            LOG.warn("{}: {}", what, tokens.truncationWarning());
        }
        return tokens.inputIds();
    }
}
