package io.github.sdm.unet.djl.unet;

/**
 * One level of the contracting path: diffusers' {@code CrossAttnDownBlock2D} (with {@code attention}) or
 * {@code DownBlock2D} ({@code attention} null).
 *
 * @param type the diffusers block type, for reports
 * @param layers resnets (and transformers) in the block
 * @param attention the transformers' spec, or null for a block of resnets only
 * @param addDownsample whether a stride-2 downsampler ends the block (all but the deepest)
 */
public record DownBlockSpec(String type, int inChannels, int outChannels, int layers, ResnetSpec resnet,
        TransformerSpec attention, boolean addDownsample) {
    public DownBlockSpec {
        if (layers <= 0 || inChannels <= 0 || outChannels <= 0 || resnet == null) {
            throw new IllegalArgumentException("down block spec: layers and channels must be positive and the resnet"
                    + " spec given, got layers " + layers + ", channels " + inChannels + "->" + outChannels);
        }
    }
}
