package io.github.sdm.unet.djl.unet;

import io.github.sdm.core.model.ConfigFile;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A UNet variant's layers, chosen by an extra field of the UNet's {@code config.json}: found with
 * {@link ServiceLoader}, so a module that is not on sdm-unet's side of the build (sdm-assembly's
 * multi-expert conditional convolutions, say) can make the normal load path ({@code StableDiffusion.load},
 * {@link UNet2DConditionModel#load(java.nio.file.Path, ai.djl.ndarray.NDManager)}) build its layers.
 */
public interface UNetLayerProvider {

    /** The top-level config key whose presence asks for this provider's layers, e.g. {@code sdm_condconv}. */
    String configKey();

    /** The layers {@code config} asks for (its {@link #configKey()} is present); bad values name the key. */
    UNetLayerFactory layers(ConfigFile config);

    /**
     * The layers of the provider whose key {@code config} holds, or {@link UNetLayerFactory#DEFAULT} when it
     * holds none; two such keys in one config are an error naming both.
     */
    static UNetLayerFactory forConfig(ConfigFile config) {
        List<UNetLayerProvider> asked = new ArrayList<>();
        for (UNetLayerProvider provider : ServiceLoader.load(UNetLayerProvider.class)) {
            if (config.has(provider.configKey())) {
                asked.add(provider);
            }
        }
        if (asked.size() > 1) {
            throw config.error("the layer fields '" + asked.get(0).configKey()
                    + "' and '" + asked.get(1).configKey() + "' cannot be combined");
        }
        return asked.isEmpty() ? UNetLayerFactory.DEFAULT : asked.get(0).layers(config);
    }
}
