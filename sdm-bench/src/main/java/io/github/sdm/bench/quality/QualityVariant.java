package io.github.sdm.bench.quality;

import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.inheritance.InheritancePreset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A variant of the full model's generation whose deviation the yardstick measures, as given on the command line:
 * {@code preset=<inheritance preset>} (or the preset's bare name), {@code sampler=<name>}, {@code steps=<n>}, or a
 * component swapped for another folder's: {@code vae=<folder>} (e.g. a TAESD) or {@code unet=<folder>} (e.g. an
 * assembled student), which loads the model a second time with that component.
 *
 * @param label what the report calls it (the text as given)
 * @param change what it changes in each request
 * @param component the component swapped ({@code vae}, {@code unet}), or null when the model stays the same
 * @param componentFolder the folder of the swapped component, or null
 */
public record QualityVariant(String label, UnaryOperator<GenerationBuilder> change, String component,
        Path componentFolder) {

    private QualityVariant(String label, UnaryOperator<GenerationBuilder> change) {
        this(label, change, null, null);
    }

    /** The model this variant runs on: {@code full}'s location, with the swapped component if any. */
    public ModelLocation location(ModelLocation full) {
        return component == null ? full : full.withComponent(component, componentFolder);
    }

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
            case "vae", "unet" -> {
                Path folder = Path.of(value);
                if (!Files.isDirectory(folder)) {
                    throw new IllegalArgumentException("--variant '" + text + "': " + folder + " is not a folder");
                }
                yield new QualityVariant(text, UnaryOperator.identity(), key, folder);
            }
            default -> throw new IllegalArgumentException("--variant '" + text + "': unknown kind '" + key
                    + "'; expected preset=NAME, sampler=NAME, steps=N, vae=FOLDER or unet=FOLDER");
        };
    }
}
