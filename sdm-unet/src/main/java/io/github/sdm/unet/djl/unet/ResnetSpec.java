package io.github.sdm.unet.djl.unet;

/**
 * What the resnets of one block share: diffusers' {@code temb_channels}, {@code resnet_groups},
 * {@code resnet_eps} and {@code output_scale_factor}.
 */
public record ResnetSpec(int tembChannels, int groups, double eps, double outputScaleFactor) {
    public ResnetSpec {
        if (tembChannels <= 0 || groups <= 0 || eps <= 0 || outputScaleFactor <= 0) {
            throw new IllegalArgumentException("resnet spec needs positive values, got " + tembChannels + ", "
                    + groups + ", " + eps + ", " + outputScaleFactor);
        }
    }
}
