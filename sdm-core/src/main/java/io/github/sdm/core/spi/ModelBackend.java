package io.github.sdm.core.spi;

import io.github.sdm.core.LoadOptions;
import io.github.sdm.core.ModelLocation;

/**
 * Runs the three networks of a Stable Diffusion model. Implementations are found with
 * {@link java.util.ServiceLoader} (sdm-unet provides the DJL/PyTorch one), so sdm-core holds no native
 * dependency and the pipeline is the same whatever executes the networks.
 */
public interface ModelBackend {

    /** Short name users may ask for in {@link LoadOptions#backend()}, e.g. {@code "djl"}. */
    String name();

    /** Whether this backend can load the model at {@code location} (e.g. ONNX files vs safetensors). */
    boolean canLoad(ModelLocation location);

    DiffusionNetworks load(ModelLocation location, LoadOptions options);
}
