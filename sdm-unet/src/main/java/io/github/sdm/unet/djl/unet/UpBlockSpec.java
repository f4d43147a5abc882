package io.github.sdm.unet.djl.unet;

import java.util.List;

/**
 * One level of the expanding path: diffusers' {@code CrossAttnUpBlock2D} (with {@code attention}) or
 * {@code UpBlock2D} ({@code attention} null). One layer per skip connection it consumes.
 *
 * @param prevOutputChannels channels of the hidden state entering the block
 * @param skipChannels channels of each skip connection, in consumption order (so one layer each)
 * @param attention the transformers' spec, or null for a block of resnets only
 * @param addUpsample whether a nearest 2x upsampler ends the block (all but the last)
 */
public record UpBlockSpec(String type, int prevOutputChannels, int outChannels, List<Integer> skipChannels,
        ResnetSpec resnet, TransformerSpec attention, boolean addUpsample) {
    public UpBlockSpec {
        skipChannels = List.copyOf(skipChannels);
        if (skipChannels.isEmpty() || prevOutputChannels <= 0 || outChannels <= 0 || resnet == null) {
            throw new IllegalArgumentException("up block spec: skip channels, positive channels and the resnet spec"
                    + " are required, got skips " + skipChannels + ", channels " + prevOutputChannels + "->" + outChannels);
        }
    }
}
