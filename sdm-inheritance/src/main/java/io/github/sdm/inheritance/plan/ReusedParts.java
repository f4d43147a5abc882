package io.github.sdm.inheritance.plan;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.inheritance.FeatureInheritance;
import io.github.sdm.inheritance.PartSelector;
import io.github.sdm.inheritance.UnitKind;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Resolves a layer- or unit-level {@link FeatureInheritance} to the names of the parts it reuses, from a UNet's part
 * names (the DJL part tree's, which the built graphs' points repeat), so that every engine reuses the same parts.
 */
public final class ReusedParts {
    /** Layers: the resnets, transformers and resamplers of the down, mid and up blocks. */
    private static final Pattern LAYER = Pattern.compile(
            "(down_blocks|up_blocks)\\.\\d+\\.(resnets|attentions)\\.\\d+"
                    + "|down_blocks\\.\\d+\\.downsamplers\\.0|up_blocks\\.\\d+\\.upsamplers\\.0"
                    + "|mid_block\\.(resnets|attentions)\\.\\d+");

    private ReusedParts() {
    }

    /**
     * Whether {@code partName} is a layer that layer-level inheritance can reuse.
     *
     * @param partName a diffusers part name
     * @return true for a resnet, transformer or resampler of a down, mid or up block
     */
    public static boolean isLayer(String partName) {
        return LAYER.matcher(partName).matches();
    }

    /**
     * The part names of a UNet that {@code spec} reuses, in the UNet's order.
     *
     * @param spec a layer- or unit-level inheritance
     * @param names the UNet's part names, in its order
     * @param downBlocks the UNet's number of down blocks
     * @return the reused parts
     * @throws InvalidRequestException if a selector selects nothing in this UNet
     */
    public static Set<String> resolve(FeatureInheritance spec, List<String> names, int downBlocks) {
        Set<String> chosen = new LinkedHashSet<>();
        switch (spec.level()) {
            case LAYER -> {
                for (PartSelector selector : spec.scope()) {
                    Set<String> selected = select(names, selector, downBlocks, ReusedParts::isLayer);
                    if (selected.isEmpty()) {
                        throw new InvalidRequestException("feature inheritance '" + spec.spec() + "': selector '"
                                + selector + "' selects no layer of this UNet (layers are "
                                + "down_blocks.I.resnets.J, .attentions.J, .downsamplers.0, mid_block.resnets.J, "
                                + "mid_block.attentions.0, up_blocks.I.resnets.J, .attentions.J, .upsamplers.0)");
                    }
                    chosen.addAll(selected);
                }
            }
            case UNIT -> {
                List<PartSelector> scope = spec.scope().isEmpty() ? List.of(PartSelector.of("all")) : spec.scope();
                for (PartSelector selector : scope) {
                    Set<String> selected = select(names, selector, downBlocks,
                            name -> spec.units().stream().anyMatch(kind -> kind.matches(name)));
                    if (selected.isEmpty()) {
                        throw new InvalidRequestException("feature inheritance '" + spec.spec() + "': no "
                                + unitNames(spec.units()) + " unit of this UNet lies under '" + selector + "'");
                    }
                    chosen.addAll(selected);
                }
            }
            default -> throw new IllegalArgumentException("not a part-level inheritance: " + spec.spec());
        }
        return chosen;
    }

    private static Set<String> select(List<String> names, PartSelector selector, int downBlocks,
            java.util.function.Predicate<String> kind) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : names) {
            if (kind.test(name) && selector.matches(name, downBlocks)) {
                out.add(name);
            }
        }
        return out;
    }

    private static String unitNames(Set<UnitKind> kinds) {
        return String.join("/", kinds.stream().map(UnitKind::token).toList());
    }
}
