package io.github.sdm.inheritance;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.spi.SessionExtension;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Feature inheritance: tuning-free acceleration that computes UNet features fully only at key steps and
 * reuses them at the calls in between, since adjacent denoising steps compute nearly the same deep
 * features. Pure data; the {@code sdm-inheritance} module executes it.
 *
 * <p>Three levels:
 * <ul>
 *   <li>{@link InheritanceLevel#BLOCK} (DeepCache), with a shallow depth {@code k}: at key steps the whole
 *       UNet runs and the hidden state entering its last {@code k} up layers is kept; other calls run only
 *       {@code conv_in}, the down layers producing skips {@code 0..k-1}, the last {@code k} up layers and the
 *       output head on it. {@code k = 2} is DeepCache's Stable Diffusion default (cache layer 0 of block 0).
 *   <li>{@link InheritanceLevel#LAYER}: chosen layers ({@code resnets.j}, {@code attentions.j},
 *       {@code downsamplers.0}, {@code upsamplers.0} of a block or of the mid block) return their output of
 *       the last key step instead of running.
 *   <li>{@link InheritanceLevel#UNIT}: the same for single transformer units {@code attn1}, {@code attn2},
 *       {@code ff}, optionally only under some parts.
 * </ul>
 *
 * <h2>Spec grammar</h2>
 * <pre>
 * spec      = PRESET | level ":" target ":" schedule
 * level     = "block" | "layer" | "unit"
 * target    = DEPTH                              (block: shallow depth k, 1..skip count, 12 for SD)
 *           | selector { "," selector }           (layer)
 *           | unit { "," unit } { "," selector }  (unit: at least one unit; selectors narrow where)
 * unit      = "attn1" | "attn2" | "ff"
 * selector  = "all" | "deep" | "down" | "mid" | "up" | PREFIX
 *             (PREFIX: a part-name prefix such as down_blocks.2 or up_blocks.1.attentions.0)
 * schedule  = "interval=" N                       (key at calls 0, N, 2N, ...)
 *           | "quadratic=" N [ ",center=" F ]     (ceil(T/N) keys, densest around call F*T; F = 0.3)
 *           | "bands=" A "," B ",interval=" N     (keys at the first A and last B calls, every N between)
 *           | "keys=" I { "," I }                 (exactly these calls; 0 is always added)
 * </pre>
 * Examples: {@code block:2:interval=3}, {@code block:2:quadratic=5}, {@code block:2:bands=2,2,interval=4},
 * {@code block:2:keys=0,1,2,4,8}, {@code layer:deep:interval=2}, {@code unit:attn2,ff:interval=3},
 * {@code unit:attn1,up_blocks.3:interval=2}; or a preset name ({@link InheritancePreset}, e.g.
 * {@code deepcache}). Errors name the token at fault.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * FeatureInheritance fast = FeatureInheritance.parse("block:2:interval=3");
 * FeatureInheritance same = FeatureInheritance.block(2, new KeyStepSchedule.Uniform(3));
 * }</pre>
 *
 * @param level the granularity
 * @param depth the shallow depth {@code k} for {@link InheritanceLevel#BLOCK}; 0 for the other levels
 * @param scope where a layer or unit inheritance applies: the layers to reuse (LAYER, non-empty), or the
 *     parts under which units are reused (UNIT; empty = everywhere); empty for BLOCK
 * @param units the reused units (UNIT, non-empty); empty for the other levels
 * @param schedule which calls are key steps
 */
public record FeatureInheritance(InheritanceLevel level, int depth, List<PartSelector> scope, Set<UnitKind> units,
        KeyStepSchedule schedule) implements SessionExtension {

    /**
     * Checks that the fields fit the level.
     *
     * @param level the granularity, required
     * @param depth at least 1 for BLOCK, 0 otherwise
     * @param scope part selectors: non-empty for LAYER, optional for UNIT, empty for BLOCK (null reads as empty)
     * @param units non-empty for UNIT, empty otherwise (null reads as empty)
     * @param schedule which calls are key steps, required
     * @throws InvalidRequestException if the level or schedule is null, or a field does not fit the level
     */
    public FeatureInheritance {
        if (level == null) {
            throw new InvalidRequestException("feature inheritance level must not be null");
        }
        if (schedule == null) {
            throw new InvalidRequestException("feature inheritance schedule must not be null");
        }
        scope = scope == null ? List.of() : List.copyOf(scope);
        units = units == null || units.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(units));
        switch (level) {
            case BLOCK -> {
                if (depth < 1) {
                    throw new InvalidRequestException("block inheritance depth must be >= 1 (shallow skip"
                            + " connections kept computing), got " + depth);
                }
                requireEmpty(level, "part selectors", scope);
                requireEmpty(level, "units", units);
            }
            case LAYER -> {
                requireNoDepth(level, depth);
                if (scope.isEmpty()) {
                    throw new InvalidRequestException("layer inheritance needs at least one part selector"
                            + " (a group such as deep, or a prefix such as down_blocks.2)");
                }
                requireEmpty(level, "units", units);
            }
            case UNIT -> {
                requireNoDepth(level, depth);
                if (units.isEmpty()) {
                    throw new InvalidRequestException("unit inheritance needs at least one unit (attn1, attn2, ff)");
                }
            }
            default -> throw new IllegalStateException(level.toString());
        }
    }

    /**
     * DeepCache at shallow depth {@code depth}.
     *
     * @param depth the shallow depth {@code k}, at least 1 (2 is DeepCache's default); at most the UNet's skip count
     *     (12 for SD 1.x), checked when the generation runs
     * @param schedule which calls run the whole UNet
     * @return the setting
     * @throws InvalidRequestException if {@code depth} is below 1 or {@code schedule} is null
     */
    public static FeatureInheritance block(int depth, KeyStepSchedule schedule) {
        return new FeatureInheritance(InheritanceLevel.BLOCK, depth, List.of(), Set.of(), schedule);
    }

    /**
     * Reuse of the layers {@code selectors} select.
     *
     * @param selectors at least one group or part-name prefix
     * @param schedule which calls compute the layers
     * @return the setting
     * @throws InvalidRequestException if {@code selectors} is empty or {@code schedule} is null
     */
    public static FeatureInheritance layers(List<PartSelector> selectors, KeyStepSchedule schedule) {
        return new FeatureInheritance(InheritanceLevel.LAYER, 0, selectors, Set.of(), schedule);
    }

    /**
     * Reuse of {@code kinds} units under the parts {@code scope} selects (empty: everywhere).
     *
     * @param kinds at least one unit kind
     * @param scope the parts under which units are reused; empty for all
     * @param schedule which calls compute the units
     * @return the setting
     * @throws InvalidRequestException if {@code kinds} is empty or {@code schedule} is null
     */
    public static FeatureInheritance units(Set<UnitKind> kinds, List<PartSelector> scope, KeyStepSchedule schedule) {
        return new FeatureInheritance(InheritanceLevel.UNIT, 0, scope, kinds, schedule);
    }

    /**
     * A spec in the grammar above, or a preset name.
     *
     * @param spec e.g. {@code block:2:interval=3} or {@code deepcache}
     * @return the setting
     * @throws InvalidRequestException naming the token at fault
     */
    public static FeatureInheritance parse(String spec) {
        return InheritanceSpecParser.parse(spec);
    }

    /**
     * The preset called {@code name}, e.g. {@code deepcache-fast}.
     *
     * @param name the preset's name, case-insensitive
     * @return the preset's setting
     * @throws InvalidRequestException if there is none, listing the presets
     */
    public static FeatureInheritance preset(String name) {
        InheritancePreset preset = InheritancePreset.byName(name);
        if (preset == null) {
            throw new InvalidRequestException("unknown feature inheritance preset '" + name + "' (presets: "
                    + presetNames() + ")");
        }
        return preset.inheritance();
    }

    /**
     * Whether the call {@code callIndex} of {@code totalCalls} computes fully.
     *
     * @param callIndex the UNet call, 0-based
     * @param totalCalls the generation's UNet calls, at least 1
     * @return true at a key step
     * @throws InvalidRequestException if {@code totalCalls} is below 1 or {@code callIndex} is outside the calls
     */
    public boolean isKey(int callIndex, int totalCalls) {
        return schedule.isKey(callIndex, totalCalls);
    }

    /**
     * This setting in the spec grammar; {@link #parse} gives back an equal record.
     *
     * @return the spec, e.g. {@code block:2:interval=3}
     */
    public String spec() {
        List<String> target = new ArrayList<>();
        if (level == InheritanceLevel.BLOCK) {
            target.add(Integer.toString(depth));
        }
        units.forEach(u -> target.add(u.token()));
        scope.forEach(s -> target.add(s.token()));
        return level.token() + ":" + String.join(",", target) + ":" + schedule.spec();
    }

    @Override
    public String toString() {
        return spec();
    }

    /**
     * The grammar and the presets as plain text, for a command line's {@code --help}.
     *
     * @return several lines, each ending in a line break
     */
    public static String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("Feature inheritance (reuse UNet features between key steps): PRESET or LEVEL:TARGET:SCHEDULE\n")
                .append("  block:K:...        DeepCache; K = shallow depth (2 = DeepCache default)\n")
                .append("  layer:SEL,...:...  reuse layers; SEL = all|deep|down|mid|up|part prefix (down_blocks.2)\n")
                .append("  unit:U,...[,SEL,...]:...  reuse units U = attn1|attn2|ff, optionally only under SEL\n")
                .append("  schedules: interval=N | quadratic=N[,center=F] | bands=A,B,interval=N | keys=I,J,...\n")
                .append("  e.g. block:2:interval=3, layer:deep:interval=2, unit:attn2,ff:interval=3\n")
                .append("  presets:\n");
        for (InheritancePreset p : InheritancePreset.values()) {
            sb.append(String.format("    %-20s %-26s %s%n", p.presetName(), p.spec(), p.description()));
        }
        return sb.toString();
    }

    static String presetNames() {
        List<String> names = new ArrayList<>();
        for (InheritancePreset p : InheritancePreset.values()) {
            names.add(p.presetName());
        }
        return String.join(", ", names);
    }

    private static void requireEmpty(InheritanceLevel level, String what, Collection<?> values) {
        if (!values.isEmpty()) {
            throw new InvalidRequestException(level.token() + " inheritance takes no " + what + ", got " + values);
        }
    }

    private static void requireNoDepth(InheritanceLevel level, int depth) {
        if (depth != 0) {
            throw new InvalidRequestException(level.token() + " inheritance takes no depth (only block does), got "
                    + depth);
        }
    }

    @Override
    public String describe() {
        return "feature inheritance '" + spec() + "'";
    }
}
