package io.github.sdm.bench.pipeline;

import io.github.sdm.core.error.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The comparisons {@code sdm bench --compare} knows, by name. */
public final class Comparisons {
    private static final List<Comparison> ALL = List.of(new SamplerComparison(), new InheritanceComparison(),
            new DeepCacheComparison());

    private Comparisons() {
    }

    public static Map<String, Comparison> all() {
        Map<String, Comparison> out = new LinkedHashMap<>();
        ALL.forEach(c -> out.put(c.name(), c));
        return out;
    }

    public static Comparison named(String name) {
        Comparison c = all().get(name);
        if (c == null) {
            throw new InvalidRequestException("--compare: unknown comparison '" + name + "' (known: "
                    + String.join(", ", all().keySet()) + ")");
        }
        return c;
    }
}
