package io.github.sdm.bench.perf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code key=value} arguments of the measurement tools' {@code main}s (see {@code docs/performance-notes.md}).
 * A malformed argument or value fails naming it.
 */
public final class ToolOptions {
    private final Map<String, String> values;

    private ToolOptions(Map<String, String> values) {
        this.values = values;
    }

    public static ToolOptions parse(String... args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
            }
            out.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return new ToolOptions(out);
    }

    public String text(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    public int integer(String key, int fallback) {
        String value = text(key, String.valueOf(fallback));
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + ": not an integer", e);
        }
    }
}
