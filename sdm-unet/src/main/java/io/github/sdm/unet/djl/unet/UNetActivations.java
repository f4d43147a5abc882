package io.github.sdm.unet.djl.unet;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * A UNet output with the hidden state after every block, keyed {@code down_blocks.N}, {@code mid_block},
 * {@code up_blocks.N} (for a down block: its last skip connection, not the whole tuple), or after the parts
 * that were asked for by name (each part's last output).
 */
public record UNetActivations(NDArray output, Map<String, NDArray> blockOutputs) {
    public UNetActivations {
        blockOutputs = Map.copyOf(blockOutputs);
    }
}
