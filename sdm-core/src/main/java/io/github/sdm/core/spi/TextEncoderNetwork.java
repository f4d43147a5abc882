package io.github.sdm.core.spi;

import java.util.List;

/** The CLIP text transformer: token ids in, hidden states and pooled embedding out. */
public interface TextEncoderNetwork {

    /**
     * Encodes token ids.
     *
     * @param inputIds {@code [batch][sequenceLength]} token ids, already padded
     * @param clipSkip which layer's hidden states condition the UNet, counted from the end: 1 is the last
     *     layer ({@code last_hidden_state}), 2 the one before, and so on; the final layer norm is applied to
     *     the chosen layer's output, as diffusers does (diffusers' {@code clip_skip=k} is {@code clipSkip=k+1}
     *     here). The pooled embedding always comes from the last layer.
     * @return hidden states {@code [batch, sequenceLength, hiddenSize]} and, where the encoder has one, the
     *     pooled embedding {@code [batch, hiddenSize]}
     * @throws io.github.sdm.core.error.InvalidRequestException when {@code clipSkip} is not in
     *     {@code [1, numHiddenLayers()]}
     */
    TextConditioning encode(long[][] inputIds, int clipSkip);

    /**
     * Encodes token ids for one generation, honouring the generation's extensions that concern the text
     * encoder ({@link LoraSession}); the default ignores them, for a backend whose text encoder has none.
     *
     * @param inputIds {@code [batch][sequenceLength]} token ids, already padded
     * @param clipSkip which layer's hidden states condition the UNet, counted from the end (see above)
     * @param extensions the generation's extensions; those not about the text encoder are ignored
     * @return hidden states and, where the encoder has one, the pooled embedding
     */
    default TextConditioning encode(long[][] inputIds, int clipSkip, List<SessionExtension> extensions) {
        return encode(inputIds, clipSkip);
    }

    /**
     * The last layer's hidden states and the pooled embedding ({@code clipSkip} 1).
     *
     * @param inputIds {@code [batch][sequenceLength]} token ids, already padded
     * @return hidden states and, where the encoder has one, the pooled embedding
     */
    default TextConditioning encode(long[][] inputIds) {
        return encode(inputIds, 1);
    }

    /**
     * Transformer layers, the largest {@code clipSkip}.
     *
     * @return the layer count (12 for SD 1.x's CLIP ViT-L/14)
     */
    int numHiddenLayers();
}
