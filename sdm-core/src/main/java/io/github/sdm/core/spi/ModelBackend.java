package io.github.sdm.core.spi;

import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;

/**
 * Runs the three networks of a Stable Diffusion model. Implementations are found with
 * {@link java.util.ServiceLoader} (sdm-unet provides the DJL/PyTorch one), so sdm-core holds no native
 * dependency and the pipeline is the same whatever executes the networks. {@link BackendSelector} picks
 * one: the one asked for by name, else the highest-priority one that can load the model.
 */
public interface ModelBackend {

    /** Short name users may ask for ({@link LoadOptions#backend()}, {@code -Dsdm.backend}), e.g. {@code "djl"}. */
    String name();

    /** Rank among backends that can load a model: the highest wins unless one is asked for by name. */
    default int priority() {
        return 0;
    }

    /**
     * Whether this backend reads the weight format of the model at {@code location} (safetensors vs
     * {@code .onnx}), including components taken from other folders; cheap (looks at file names only).
     */
    LoadVerdict canLoad(ModelLocation location);

    DiffusionNetworks load(ModelLocation location, LoadOptions options);
}
