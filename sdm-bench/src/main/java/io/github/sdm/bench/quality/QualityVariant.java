package io.github.sdm.bench.quality;

import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.inheritance.InheritancePreset;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A variant of the full model's generation whose deviation the yardstick measures, as given on the command line:
 * {@code preset=<inheritance preset>} (or the preset's bare name), {@code sampler=<name>} or {@code steps=<n>}.
 *
 * @param label what the report calls it (the text as given)
 * @param change what it changes in each request
 */
public record QualityVariant(String label, UnaryOperator<GenerationBuilder> change) {

    public static QualityVariant parse(String text) {
        int eq = text.indexOf('=');
        String key = eq < 0 ? "preset" : text.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String value = (eq < 0 ? text : text.substring(eq + 1)).trim();
        return switch (key) {
            case "preset" -> {
                InheritancePreset preset = InheritancePreset.byName(value);
                if (preset == null) {
                    throw new IllegalArgumentException("--variant '" + text + "': no feature-inheritance preset '"
                            + value + "'; see sdm generate --help for the preset names");
                }
                yield new QualityVariant(text, b -> b.with(preset.inheritance()));
            }
            case "sampler" -> new QualityVariant(text, b -> b.sampler(value));
            case "steps" -> {
                int steps;
                try {
                    steps = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--variant '" + text + "': steps must be a whole number, got '"
                            + value + "'");
                }
                yield new QualityVariant(text, b -> b.steps(steps));
            }
            default -> throw new IllegalArgumentException("--variant '" + text + "': unknown kind '" + key
                    + "'; expected preset=NAME, sampler=NAME or steps=N");
        };
    }
}
