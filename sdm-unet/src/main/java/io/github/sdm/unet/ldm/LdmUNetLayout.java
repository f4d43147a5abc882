package io.github.sdm.unet.ldm;

import io.github.sdm.core.model.ConfigFile;
import io.github.sdm.unet.config.UNetConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * What the LDM-to-diffusers UNet key mapping needs to know of a {@code UNet2DConditionModel} config: the
 * original LDM layout numbers its blocks flatly ({@code input_blocks.N}, {@code output_blocks.N}), so the
 * diffusers block and layer of each key follow from {@code layers_per_block} and from which blocks carry
 * attentions.
 *
 * @param layersPerBlock resnets per down block (up blocks have one more)
 * @param downBlockAttentions per down block, whether it has cross-attention transformers
 * @param upBlockAttentions per up block, whether it has cross-attention transformers
 */
public record LdmUNetLayout(int layersPerBlock, List<Boolean> downBlockAttentions, List<Boolean> upBlockAttentions) {

    public LdmUNetLayout {
        downBlockAttentions = List.copyOf(downBlockAttentions);
        upBlockAttentions = List.copyOf(upBlockAttentions);
        if (layersPerBlock <= 0 || downBlockAttentions.isEmpty()
                || downBlockAttentions.size() != upBlockAttentions.size()) {
            throw new IllegalArgumentException("UNet layout: layers_per_block " + layersPerBlock + ", "
                    + downBlockAttentions.size() + " down blocks, " + upBlockAttentions.size()
                    + " up blocks: expected a positive layer count and as many up blocks as down blocks");
        }
    }

    public int blockCount() {
        return downBlockAttentions.size();
    }

    /** Reads a diffusers UNet {@code config.json} (see {@link #of}). */
    public static LdmUNetLayout read(Path unetConfigJson) {
        return of(UNetConfig.read(unetConfigJson), unetConfigJson.toString());
    }

    /** Parses a diffusers UNet config (see {@link #of}); {@code source} names it in errors. */
    public static LdmUNetLayout parse(String json, String source) {
        return of(UNetConfig.parse(json, source), source);
    }

    /**
     * The layout of {@code config}'s UNet. The LDM layout numbers every block with one layer count and has
     * a cross-attention mid block; a config without them is rejected, naming {@code source} (where the
     * config was read from) and the key.
     */
    public static LdmUNetLayout of(UNetConfig config, String source) {
        List<Integer> layers = config.layersPerBlock();
        if (layers.stream().distinct().count() != 1) {
            throw ConfigFile.invalidValue(source, "layers_per_block", layers,
                    "the LDM layout needs the same layer count for every block");
        }
        if (!config.hasMidBlock()) {
            throw ConfigFile.invalidValue(source, "mid_block_type", null,
                    "the LDM layout has a cross-attention mid block");
        }
        return new LdmUNetLayout(layers.get(0),
                config.downBlockTypes().stream().map(UNetConfig.CROSS_ATTN_DOWN::equals).toList(),
                config.upBlockTypes().stream().map(UNetConfig.CROSS_ATTN_UP::equals).toList());
    }
}
