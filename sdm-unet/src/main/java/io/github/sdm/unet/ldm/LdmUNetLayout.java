package io.github.sdm.unet.ldm;

import io.github.sdm.unet.nn.JsonConfig;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** Reads a diffusers UNet {@code config.json}. */
    public static LdmUNetLayout read(Path unetConfigJson) {
        return from(JsonConfig.read(unetConfigJson));
    }

    public static LdmUNetLayout parse(String json, String source) {
        return from(JsonConfig.parse(json, source));
    }

    private static LdmUNetLayout from(JsonConfig c) {
        List<String> down = c.stringList("down_block_types");
        List<String> up = c.stringList("up_block_types");
        if (down.size() != up.size()) {
            throw c.error("up_block_types", up, "expected as many up blocks as down_block_types " + down);
        }
        String mid = c.string("mid_block_type", "UNetMidBlock2DCrossAttn");
        if (!mid.equals("UNetMidBlock2DCrossAttn")) {
            throw c.error("mid_block_type", mid, "the LDM layout has a cross-attention mid block");
        }
        return new LdmUNetLayout(layersPerBlock(c, down.size()),
                attentions(c, "down_block_types", down, "CrossAttnDownBlock2D", "DownBlock2D"),
                attentions(c, "up_block_types", up, "CrossAttnUpBlock2D", "UpBlock2D"));
    }

    /** diffusers' conversion numbers LDM blocks with one layer count for all blocks. */
    private static int layersPerBlock(JsonConfig c, int blocks) {
        if (!c.has("layers_per_block")) {
            return 2;
        }
        if (!c.isList("layers_per_block")) {
            return c.intValue("layers_per_block");
        }
        List<Integer> perBlock = c.intList("layers_per_block");
        if (perBlock.size() != blocks || perBlock.stream().distinct().count() != 1) {
            throw c.error("layers_per_block", perBlock, "the LDM layout needs the same layer count for every block");
        }
        return perBlock.get(0);
    }

    private static List<Boolean> attentions(JsonConfig c, String key, List<String> types, String withAttention,
            String plain) {
        List<Boolean> out = new ArrayList<>();
        for (String t : types) {
            if (!t.equals(withAttention) && !t.equals(plain)) {
                throw c.error(key, types, "supported block types: " + withAttention + ", " + plain);
            }
            out.add(t.equals(withAttention));
        }
        return out;
    }
}
