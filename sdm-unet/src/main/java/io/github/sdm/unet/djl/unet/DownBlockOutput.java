package io.github.sdm.unet.djl.unet;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What a {@link DownBlock} produces: one skip connection per layer and one for the downsampler, in
 * order; {@code hidden} is the last of them, the state the next block continues from.
 */
public record DownBlockOutput(List<NDArray> skips, NDArray hidden) {
    public DownBlockOutput {
        skips = List.copyOf(skips);
        if (skips.isEmpty() || skips.get(skips.size() - 1) != hidden) {
            throw new IllegalArgumentException("a down block's hidden state is its last skip connection");
        }
    }

    static DownBlockOutput of(List<NDArray> skips) {
        return new DownBlockOutput(skips, skips.get(skips.size() - 1));
    }
}
