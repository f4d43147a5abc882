package io.github.sdm.core.spi;

import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Chooses the backend that loads a model: the one named by {@link LoadOptions#backend()} or, failing that,
 * the system property {@value #PROPERTY}; otherwise the highest-{@link ModelBackend#priority() priority}
 * backend that can load it (ties broken by name, so the choice never depends on classpath order).
 */
public final class BackendSelector {
    /** The system property that names a backend when the load options name none. */
    public static final String PROPERTY = "sdm.backend";

    private final List<ModelBackend> backends;

    /**
     * A selector over the given backends, ranked by priority, then name.
     *
     * @param backends the candidates (copied)
     */
    public BackendSelector(List<ModelBackend> backends) {
        List<ModelBackend> ranked = new ArrayList<>(backends);
        ranked.sort(Comparator.comparingInt(ModelBackend::priority).reversed().thenComparing(ModelBackend::name));
        this.backends = List.copyOf(ranked);
    }

    /**
     * The backends on the classpath ({@link ServiceLoader}).
     *
     * @return a selector over every {@link ModelBackend} registered as a service
     */
    public static BackendSelector fromClasspath() {
        List<ModelBackend> found = new ArrayList<>();
        ServiceLoader.load(ModelBackend.class).forEach(found::add);
        return new BackendSelector(found);
    }

    /**
     * The backends, best first.
     *
     * @return the backends by descending priority, ties by name; unmodifiable
     */
    public List<ModelBackend> ranked() {
        return backends;
    }

    /**
     * The backend to load {@code location} with: the one {@code options} or {@value #PROPERTY} names, else the
     * best one that can load it.
     *
     * @param location the model to load
     * @param options the load options (their {@code backend})
     * @return the chosen backend; nothing is loaded yet
     * @throws SdmException if there is no backend, the named one does not exist or cannot load the model, or none
     *     can (the message gives each backend's reason)
     */
    public ModelBackend choose(ModelLocation location, LoadOptions options) {
        if (backends.isEmpty()) {
            throw new SdmException("No network backend on the classpath: add the sdm-unet module (DJL/PyTorch)");
        }
        String named = options.backend() != null ? options.backend() : System.getProperty(PROPERTY);
        if (named != null && !named.isBlank()) {
            return named(named.trim(), options.backend() != null ? "LoadOptions.backend" : "-D" + PROPERTY,
                    location);
        }
        List<String> reasons = new ArrayList<>();
        for (ModelBackend backend : backends) {
            LoadVerdict verdict = backend.canLoad(location);
            if (verdict.loadable()) {
                return backend;
            }
            reasons.add(backend.name() + ": " + verdict.reason());
        }
        throw new SdmException("No backend can load " + location.folder() + ": " + String.join("; ", reasons));
    }

    private ModelBackend named(String name, String source, ModelLocation location) {
        for (ModelBackend backend : backends) {
            if (backend.name().equals(name)) {
                LoadVerdict verdict = backend.canLoad(location);
                if (!verdict.loadable()) {
                    throw new SdmException("Backend '" + name + "' (" + source + ") cannot load " + location.folder()
                            + ": " + verdict.reason());
                }
                return backend;
            }
        }
        throw new SdmException("No backend named '" + name + "' (" + source + "); available: "
                + backends.stream().map(ModelBackend::name).toList());
    }
}
