package io.github.sdm.assembly.djl.condconv;

import io.github.sdm.assembly.condconv.CondConvConfig;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.unet.UNetLayerFactory;

/** A UNet's layers with the resnet convolutions {@link CondConvConfig} names made conditional. */
public final class CondConvLayers implements UNetLayerFactory {
    private final CondConvConfig config;

    public CondConvLayers(CondConvConfig config) {
        this.config = config;
    }

    @Override
    public Conv2d resnetConv(String name, int inChannels, int outChannels, int kernel, int padding) {
        return config.isConditional(name)
                ? new CondConv2d(name, inChannels, outChannels, kernel, padding, config.experts())
                : UNetLayerFactory.super.resnetConv(name, inChannels, outChannels, kernel, padding);
    }
}
