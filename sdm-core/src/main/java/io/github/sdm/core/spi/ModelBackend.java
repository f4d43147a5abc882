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

    /**
     * Short name users may ask for ({@link LoadOptions#backend()}, {@code -Dsdm.backend}), e.g. {@code "djl"}.
     *
     * @return the backend's name
     */
    String name();

    /**
     * Rank among backends that can load a model: the highest wins unless one is asked for by name.
     *
     * @return the rank; 0 by default
     */
    default int priority() {
        return 0;
    }

    /**
     * Whether this backend reads the weight format of the model at {@code location} (safetensors vs
     * {@code .onnx}), including components taken from other folders; cheap (looks at file names only).
     *
     * @param location the model
     * @return yes, or no with the reason
     */
    LoadVerdict canLoad(ModelLocation location);

    /**
     * Whether {@link #load} merges the LoRA adapters of {@link LoadOptions#loras()} into the weights; a backend
     * that does not is refused a load with adapters (rather than loading the plain model without a word).
     *
     * @return false by default
     */
    default boolean mergesLora() {
        return false;
    }

    /**
     * Whether the networks {@link #load} returns can release and reload their weights one by one
     * ({@link DiffusionNetworks#release(NetworkRole)}), as {@link io.github.sdm.core.model.Residency#PER_STAGE}
     * needs; a backend that cannot is refused a load with that residency.
     *
     * @return false by default
     */
    default boolean releasesPerStage() {
        return false;
    }

    /**
     * Loads the model's three networks.
     *
     * @param location the model, its folder already checked to be a supported diffusers folder
     * @param options device, threads, precisions, attention slicing and, where {@link #mergesLora()}, the LoRA
     *     adapters to merge
     * @return the networks; the caller closes them
     * @throws io.github.sdm.core.error.ModelFormatException if a network's config or weights are missing or damaged
     * @throws io.github.sdm.core.error.SdmException if the backend cannot run the options (a precision, a device)
     */
    DiffusionNetworks load(ModelLocation location, LoadOptions options);
}
