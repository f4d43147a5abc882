package io.github.sdm.core.spi;

import io.github.sdm.core.error.InvalidRequestException;
import java.util.List;
import java.util.Optional;

/**
 * What a UNet session knows of the generation it serves.
 *
 * @param modelCalls the number of UNet calls the sampler will make (one per timestep entry)
 * @param extensions what the generation asks beyond plain calls (feature inheritance, ...), at most one of
 *     each type; empty to compute every call in full
 */
public record DenoiserSessionOptions(int modelCalls, List<SessionExtension> extensions) {

    /**
     * Checks the call count and copies the extensions.
     *
     * @param modelCalls the number of UNet calls, at least 0
     * @param extensions the generation's extensions
     * @throws InvalidRequestException if {@code modelCalls} is negative
     */
    public DenoiserSessionOptions {
        if (modelCalls < 0) {
            throw new InvalidRequestException("modelCalls must be >= 0, got " + modelCalls);
        }
        extensions = List.copyOf(extensions);
    }

    /**
     * Every call computed in full (no extension).
     *
     * @param modelCalls the number of UNet calls, at least 0
     */
    public DenoiserSessionOptions(int modelCalls) {
        this(modelCalls, List.of());
    }

    /**
     * The extension of this type (or a subtype), if the generation carries one.
     *
     * @param <T> the extension type
     * @param type the extension's class, e.g. {@code FeatureInheritance.class}
     * @return the extension, or empty
     */
    public <T extends SessionExtension> Optional<T> extension(Class<T> type) {
        return extensions.stream().filter(type::isInstance).map(type::cast).findFirst();
    }
}
