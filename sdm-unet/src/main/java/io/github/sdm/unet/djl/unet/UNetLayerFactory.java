package io.github.sdm.unet.djl.unet;

import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.nn.Conv2d;

/**
 * Where a UNet variant swaps a layer kind: the blocks build these layers through the factory given to
 * {@link UNet2DConditionModel#UNet2DConditionModel(UNetConfig, UNetLayerFactory)}. A substitute keeps the
 * part's name, so checkpoint keys and interception stay the same, and declares whatever parameters it
 * needs (a multi-expert conditional convolution adds its experts' weights).
 */
public interface UNetLayerFactory {

    /** Plain diffusers layers. */
    UNetLayerFactory DEFAULT = new UNetLayerFactory() {
    };

    /** A resnet's convolution ({@code conv1}, {@code conv2}, {@code conv_shortcut}), stride 1. */
    default Conv2d resnetConv(String name, int inChannels, int outChannels, int kernel, int padding) {
        return new Conv2d(name, inChannels, outChannels, kernel, 1, padding);
    }
}
