package io.github.sdm.core.spi;

import io.github.sdm.core.tensor.FloatTensor;

/** The CLIP text transformer: token ids in, last hidden state out. */
public interface TextEncoderNetwork {

    /**
     * @param inputIds {@code [batch][sequenceLength]} token ids, already padded
     * @return the last hidden state, {@code [batch, sequenceLength, hiddenSize]}
     */
    FloatTensor encode(long[][] inputIds);
}
