package io.github.sdm.bench.quality;

import io.github.sdm.assembly.switching.SwitchSchedule;
import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Precision;
import io.github.sdm.inheritance.InheritancePreset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A variant of the full model's generation whose deviation the yardstick measures, as given on the command line:
 * one or more parts joined by {@code +}, each kind at most once:
 * <ul>
 *   <li>{@code preset=<inheritance preset>} (or the preset's bare name), {@code sampler=<name>}, {@code steps=<n>};
 *   <li>a component swapped for another folder's: {@code vae=<folder>} (e.g. a TAESD) or {@code unet=<folder>}
 *       (e.g. an assembled student's {@code unet/}), which loads the model a second time with that component;
 *   <li>multi-UNet switching, {@code switch=<folder>@<schedule>}: the calls the schedule names go to the UNet of
 *       {@code <folder>} (a model folder or a UNet folder), the others to the model's own UNet, as
 *       {@code sdm generate --student <folder> --switch <schedule>} does: {@code switch=runs/student@0.3} puts the
 *       first 30% of the calls on the student, {@code @last:0.7} the last 70%, {@code @calls:0,1,2} names calls;
 *   <li>another weight precision, {@code weights=fp16|bf16|int8|fp32}: the model loaded a second time with its
 *       weights held in that type ({@code sdm generate --weights}).
 * </ul>
 * For example {@code unet=runs/student/unet+deepcache} or {@code switch=runs/student@0.5+deepcache} (each UNet keeps
 * its own DeepCache caches).
 *
 * @param label what the report calls it (the text as given)
 * @param change what it changes in each request (preset, sampler, steps)
 * @param components the components swapped, by name ({@code vae}, {@code unet}); empty when the model stays the same
 * @param unetSwitch the second UNet and the calls it computes, or null
 * @param weights the weight precision the variant's model is loaded with, or null for the full model's
 */
public record QualityVariant(String label, UnaryOperator<GenerationBuilder> change, Map<String, Path> components,
        Switch unetSwitch, Precision weights) {

    /** What joins the parts of a combined variant. */
    public static final String JOIN = "+";

    /**
     * Multi-UNet switching: the calls {@code schedule} names go to the UNet in {@code folder}.
     *
     * @param folder a model folder (its {@code unet/}) or a UNet folder
     * @param schedule the calls of the second UNet
     */
    public record Switch(Path folder, SwitchSchedule schedule) {
    }

    public QualityVariant {
        components = Map.copyOf(components);
    }

    /** Whether the variant runs on a model loaded for it (components swapped or another weight precision). */
    public boolean loadsItsOwnModel() {
        return !components.isEmpty() || weights != null;
    }

    /** The load options of the variant's own model: {@code full}'s, with its weight precision if it has one. */
    public LoadOptions loadOptions(LoadOptions full) {
        return weights == null ? full : full.withWeightPrecision(weights);
    }

    /** The model this variant runs on: {@code full}'s location, with the swapped components if any. */
    public ModelLocation location(ModelLocation full) {
        ModelLocation location = full;
        for (Map.Entry<String, Path> component : components.entrySet()) {
            location = location.withComponent(component.getKey(), component.getValue());
        }
        return location;
    }

    /** Parses a variant: parts joined by {@code +} (see the class comment); errors name the text and the part. */
    public static QualityVariant parse(String text) {
        UnaryOperator<GenerationBuilder> change = UnaryOperator.identity();
        Map<String, Path> components = new LinkedHashMap<>();
        Switch unetSwitch = null;
        Precision weights = null;
        Set<String> kinds = new HashSet<>();
        for (String part : text.split("\\" + JOIN, -1)) {
            int eq = part.indexOf('=');
            String kind = eq < 0 ? "preset" : part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = (eq < 0 ? part : part.substring(eq + 1)).trim();
            if (value.isEmpty()) {
                throw new IllegalArgumentException("--variant '" + text + "': an empty part"
                        + (eq < 0 ? "" : " '" + part.trim() + "'") + "; join parts with " + JOIN
                        + ", e.g. unet=FOLDER+deepcache");
            }
            if (!kinds.add(kind)) {
                throw new IllegalArgumentException("--variant '" + text + "': " + kind + " is given twice");
            }
            switch (kind) {
                case "preset" -> change = then(change, preset(text, value));
                case "sampler" -> change = then(change, b -> b.sampler(value));
                case "steps" -> {
                    int steps = steps(text, value);
                    change = then(change, b -> b.steps(steps));
                }
                case "vae", "unet" -> components.put(kind, folder(text, value));
                case "switch" -> unetSwitch = unetSwitch(text, value);
                case "weights" -> weights = precision(text, value);
                default -> throw new IllegalArgumentException("--variant '" + text + "': unknown kind '" + kind
                        + "'; expected preset=NAME, sampler=NAME, steps=N, vae=FOLDER, unet=FOLDER or "
                        + "switch=FOLDER@SCHEDULE or weights=TYPE, joined by " + JOIN);
            }
        }
        return new QualityVariant(text, change, components, unetSwitch, weights);
    }

    private static UnaryOperator<GenerationBuilder> then(UnaryOperator<GenerationBuilder> first,
            UnaryOperator<GenerationBuilder> second) {
        return b -> second.apply(first.apply(b));
    }

    private static UnaryOperator<GenerationBuilder> preset(String text, String name) {
        InheritancePreset preset = InheritancePreset.byName(name);
        if (preset == null) {
            throw new IllegalArgumentException("--variant '" + text + "': no feature-inheritance preset '" + name
                    + "'; see sdm generate --help for the preset names");
        }
        return b -> b.with(preset.inheritance());
    }

    private static int steps(String text, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--variant '" + text + "': steps must be a whole number, got '"
                    + value + "'");
        }
    }

    private static Precision precision(String text, String value) {
        for (Precision p : Precision.values()) {
            if (p.name().equalsIgnoreCase(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("--variant '" + text + "': weights must be fp32, fp16, bf16 or int8, got '"
                + value + "'");
    }

    private static Path folder(String text, String value) {
        Path folder = Path.of(value);
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--variant '" + text + "': " + folder + " is not a folder");
        }
        return folder;
    }

    /** {@code FOLDER@SCHEDULE}; the last {@code @} separates them, so a folder may contain one. */
    private static Switch unetSwitch(String text, String value) {
        int at = value.lastIndexOf('@');
        if (at <= 0 || at == value.length() - 1) {
            throw new IllegalArgumentException("--variant '" + text + "': switch needs FOLDER@SCHEDULE, e.g. "
                    + "switch=runs/student@0.3 (the first 30% of the calls on the student), got '" + value + "'");
        }
        Path folder = folder(text, value.substring(0, at));
        try {
            return new Switch(folder, SwitchSchedule.parse(value.substring(at + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--variant '" + text + "': " + e.getMessage(), e);
        }
    }
}
