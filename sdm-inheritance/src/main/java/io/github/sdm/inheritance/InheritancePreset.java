package io.github.sdm.inheritance;

import java.util.Locale;

/**
 * Named feature-inheritance settings, selectable by name on the command line ({@code --cache deepcache}) and
 * through {@link FeatureInheritance#preset(String)}. See {@code docs/feature-inheritance.md} for their
 * measured speed and deviation.
 */
public enum InheritancePreset {
    /** DeepCache's default for Stable Diffusion: shallow depth 2 (its cache layer 0 of block 0), uniform N=3. */
    DEEPCACHE("block:2:interval=3", "DeepCache default: deep branch every 3rd call"),
    /** Milder: a full pass every other call. */
    DEEPCACHE_GENTLE("block:2:interval=2", "DeepCache, deep branch every 2nd call"),
    /** Faster, larger deviation. */
    DEEPCACHE_FAST("block:2:interval=5", "DeepCache, deep branch every 5th call"),
    /** Depth 1: between key steps only conv_in, the last up layer and the head run. */
    DEEPCACHE_SHALLOW("block:1:interval=3", "DeepCache at depth 1 (fastest per call), every 3rd call"),
    /** DeepCache with key steps packed around 30% of the calls (its non-uniform 1:N). */
    DEEPCACHE_QUADRATIC("block:2:quadratic=3", "DeepCache, 1:3 non-uniform (densest at 30% of the calls)"),
    /** Every layer below the full-resolution level reused on every other call (the same as block:3). */
    LAYER_DEEP("layer:deep:interval=2", "layers below the top level reused, key every 2nd call"),
    /** Self-attention, the costliest unit at full resolution, reused on every other call: smallest deviation. */
    UNIT_ATTN1("unit:attn1:interval=2", "self-attention reused, key every 2nd call"),
    /** Cross-attention and feed-forward units reused between key steps every 3rd call. */
    UNIT_ATTN2_FF("unit:attn2,ff:interval=3", "cross-attention and feed-forward reused, key every 3rd call");

    private final String spec;
    private final String description;

    InheritancePreset(String spec, String description) {
        this.spec = spec;
        this.description = description;
    }

    /**
     * The name on the command line, e.g. {@code deepcache-fast}.
     *
     * @return the lower-case name with dashes
     */
    public String presetName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The spec this preset stands for, e.g. {@code block:2:interval=5}.
     *
     * @return the spec
     */
    public String spec() {
        return spec;
    }

    /**
     * One line for {@code --help}.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * The setting this preset stands for.
     *
     * @return its spec, parsed
     */
    public FeatureInheritance inheritance() {
        return InheritanceSpecParser.parseSpec(spec);
    }

    /**
     * The preset called {@code name} (case-insensitive), or null.
     *
     * @param name e.g. {@code deepcache} or {@code DEEPCACHE-FAST}
     * @return the preset, or null if none has that name
     */
    public static InheritancePreset byName(String name) {
        for (InheritancePreset preset : values()) {
            if (preset.presetName().equalsIgnoreCase(name)) {
                return preset;
            }
        }
        return null;
    }
}
