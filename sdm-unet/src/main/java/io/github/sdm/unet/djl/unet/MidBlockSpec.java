package io.github.sdm.unet.djl.unet;

/** diffusers' {@code UNetMidBlock2DCrossAttn} with one layer, at the deepest level's {@code channels}. */
public record MidBlockSpec(int channels, ResnetSpec resnet, TransformerSpec attention) {
    public MidBlockSpec {
        if (channels <= 0 || resnet == null || attention == null) {
            throw new IllegalArgumentException("mid block spec: positive channels, a resnet and a transformer spec"
                    + " are required, got " + channels + ", " + resnet + ", " + attention);
        }
    }
}
