package io.github.sdm.core.spi;

import io.github.sdm.core.tensor.FloatTensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What the denoiser is conditioned on, per batch entry: the text encoder's hidden states (the UNet's
 * {@code encoder_hidden_states}), optionally its pooled embedding, and extra conditioning tensors a model
 * family adds (SDXL's {@code time_ids}, say). Every tensor's first dimension is the batch.
 *
 * @param hiddenStates {@code [batch, tokens, dim]}
 * @param pooled {@code [batch, dim]}, or null when the encoder gives none
 * @param extras further tensors by name (e.g. {@code "time_ids"}); empty for SD 1.x and 2.x
 */
public record TextConditioning(FloatTensor hiddenStates, FloatTensor pooled, Map<String, FloatTensor> extras) {

    /**
     * Checks the hidden states and copies the extras.
     *
     * @param hiddenStates {@code [batch, tokens, dim]}, required
     * @param pooled {@code [batch, dim]}, or null
     * @param extras further tensors by name
     * @throws IllegalArgumentException if {@code hiddenStates} is null
     */
    public TextConditioning {
        if (hiddenStates == null) {
            throw new IllegalArgumentException("hidden states must not be null");
        }
        extras = Map.copyOf(extras);
    }

    /**
     * Hidden states alone (no pooled embedding, no extras).
     *
     * @param hiddenStates {@code [batch, tokens, dim]}
     * @return the conditioning
     */
    public static TextConditioning of(FloatTensor hiddenStates) {
        return new TextConditioning(hiddenStates, null, Map.of());
    }

    /**
     * The batch size.
     *
     * @return the hidden states' first dimension
     */
    public int batchSize() {
        return hiddenStates.dim(0);
    }

    /**
     * Each batch entry repeated {@code times} times in a row, in every tensor.
     *
     * @param times the repetitions, at least 1
     * @return a new conditioning with {@code times} times the batch
     */
    public TextConditioning repeatEach(int times) {
        return map(t -> t.repeatEach(times));
    }

    /**
     * The batches of {@code first} then {@code second}, tensor by tensor; both must carry the same tensors.
     *
     * @param first the entries that come first (the negative prompt's, under guidance)
     * @param second the entries that follow
     * @return a new conditioning with both batches
     * @throws IllegalArgumentException if one has a pooled embedding or extras the other lacks
     */
    public static TextConditioning concat(TextConditioning first, TextConditioning second) {
        if ((first.pooled == null) != (second.pooled == null) || !first.extras.keySet().equals(second.extras.keySet())) {
            throw new IllegalArgumentException("cannot concatenate conditionings carrying different tensors: pooled "
                    + (first.pooled != null) + "/" + (second.pooled != null) + ", extras " + first.extras.keySet()
                    + "/" + second.extras.keySet());
        }
        Map<String, FloatTensor> extras = new LinkedHashMap<>();
        first.extras.forEach((name, t) -> extras.put(name, FloatTensor.concat(t, second.extras.get(name))));
        return new TextConditioning(FloatTensor.concat(first.hiddenStates, second.hiddenStates),
                first.pooled == null ? null : FloatTensor.concat(first.pooled, second.pooled), extras);
    }

    /**
     * Batch entries {@code [from, to)} of every tensor, copied (one prompt's share of a batched encoding).
     *
     * @param from the first entry, inclusive
     * @param to the last entry, exclusive
     * @return a new conditioning with {@code to - from} entries
     */
    public TextConditioning slice(int from, int to) {
        return map(t -> t.slice(from, to));
    }

    private TextConditioning map(UnaryOperator<FloatTensor> f) {
        Map<String, FloatTensor> mapped = new LinkedHashMap<>();
        extras.forEach((name, t) -> mapped.put(name, f.apply(t)));
        return new TextConditioning(f.apply(hiddenStates), pooled == null ? null : f.apply(pooled), mapped);
    }
}
