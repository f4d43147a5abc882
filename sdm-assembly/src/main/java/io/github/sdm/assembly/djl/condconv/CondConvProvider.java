package io.github.sdm.assembly.djl.condconv;

import io.github.sdm.assembly.condconv.CondConvConfig;
import io.github.sdm.core.model.ConfigFile;
import io.github.sdm.unet.djl.unet.UNetLayerFactory;
import io.github.sdm.unet.djl.unet.UNetLayerProvider;

/**
 * Builds ME-CondConv layers for a UNet whose {@code config.json} holds {@code sdm_condconv}; registered in
 * {@code META-INF/services}, so {@code StableDiffusion.load} of such a UNet works with sdm-assembly on the
 * class path.
 */
public final class CondConvProvider implements UNetLayerProvider {

    @Override
    public String configKey() {
        return CondConvConfig.KEY;
    }

    @Override
    public UNetLayerFactory layers(ConfigFile config) {
        return new CondConvLayers(CondConvConfig.from(config));
    }
}
