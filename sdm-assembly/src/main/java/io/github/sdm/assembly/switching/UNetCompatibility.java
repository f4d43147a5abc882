package io.github.sdm.assembly.switching;

import io.github.sdm.unet.config.UNetConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether two UNets can share one generation: the same latent space (input and output channels) and the same
 * text conditioning (cross-attention width). The prediction type lives in the scheduler, which one generation
 * shares, so a student assembled from the teacher predicts the same quantity.
 */
public final class UNetCompatibility {
    private UNetCompatibility() {
    }

    /** The differences between {@code first} and {@code second}, empty when they can switch. */
    public static List<String> differences(UNetConfig first, UNetConfig second) {
        List<String> out = new ArrayList<>();
        if (first.inChannels() != second.inChannels()) {
            out.add("in_channels " + first.inChannels() + " vs " + second.inChannels());
        }
        if (first.outChannels() != second.outChannels()) {
            out.add("out_channels " + first.outChannels() + " vs " + second.outChannels());
        }
        int firstCross = first.crossAttentionDim().get(0);
        int secondCross = second.crossAttentionDim().get(0);
        if (firstCross != secondCross) {
            out.add("cross_attention_dim " + firstCross + " vs " + secondCross);
        }
        return out;
    }

    /** Refuses two UNets that cannot switch, naming every difference. */
    public static void require(UNetConfig first, UNetConfig second, String secondName) {
        List<String> differences = differences(first, second);
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("cannot switch to the UNet " + secondName
                    + ": it differs from the model's (model vs it): " + String.join(", ", differences));
        }
    }
}
