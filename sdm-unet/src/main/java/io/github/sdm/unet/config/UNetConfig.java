package io.github.sdm.unet.config;

import io.github.sdm.core.model.ConfigFile;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The architecture of a {@code UNet2DConditionModel}, as its diffusers {@code config.json} states it, with
 * every per-block setting expanded to one value per down block (in down-block order).
 *
 * <p>Only the features of Stable Diffusion 1.x / 2.x UNets are supported; any other value of a field that
 * would change the computation is rejected with a message naming the field.
 *
 * @param attentionHeads number of heads per down block; diffusers 0.27.2 reads {@code attention_head_dim}
 *     as this number when {@code num_attention_heads} is null (a historical naming mix-up)
 * @param hasMidBlock false exactly when {@code mid_block_type} is an explicit null (diffusers then builds no
 *     mid block, as BK-SDM students have none); true when it is absent or {@code UNetMidBlock2DCrossAttn}
 */
public record UNetConfig(
        int inChannels,
        int outChannels,
        List<Integer> blockOutChannels,
        List<Integer> layersPerBlock,
        List<String> downBlockTypes,
        List<String> upBlockTypes,
        List<Integer> attentionHeads,
        List<Integer> crossAttentionDim,
        List<Integer> transformerLayersPerBlock,
        boolean useLinearProjection,
        boolean upcastAttention,
        int normNumGroups,
        double normEps,
        boolean flipSinToCos,
        double freqShift,
        int timeEmbeddingDim,
        boolean centerInputSample,
        double midBlockScaleFactor,
        int convInKernel,
        int convOutKernel,
        int sampleSize,
        boolean hasMidBlock) {

    public static final String CROSS_ATTN_DOWN = "CrossAttnDownBlock2D";
    public static final String DOWN = "DownBlock2D";
    public static final String CROSS_ATTN_UP = "CrossAttnUpBlock2D";
    public static final String UP = "UpBlock2D";
    public static final String MID_BLOCK = "UNetMidBlock2DCrossAttn";

    public UNetConfig {
        blockOutChannels = List.copyOf(blockOutChannels);
        layersPerBlock = List.copyOf(layersPerBlock);
        downBlockTypes = List.copyOf(downBlockTypes);
        upBlockTypes = List.copyOf(upBlockTypes);
        attentionHeads = List.copyOf(attentionHeads);
        crossAttentionDim = List.copyOf(crossAttentionDim);
        transformerLayersPerBlock = List.copyOf(transformerLayersPerBlock);
    }

    public int blockCount() {
        return blockOutChannels.size();
    }

    /** Stable Diffusion 1.x's UNet (for timing without a checkpoint). */
    public static UNetConfig stableDiffusion15() {
        return parse("""
                {"_class_name": "UNet2DConditionModel", "in_channels": 4, "out_channels": 4,
                 "block_out_channels": [320, 640, 1280, 1280], "layers_per_block": 2,
                 "down_block_types": ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
                 "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
                 "attention_head_dim": 8, "cross_attention_dim": 768, "norm_num_groups": 32, "norm_eps": 1e-5,
                 "flip_sin_to_cos": true, "freq_shift": 0, "sample_size": 64}""", "stable-diffusion-1.5 config");
    }

    public static UNetConfig read(Path configJson) {
        return from(ConfigFile.read(configJson));
    }

    /** Parses a diffusers config; {@code source} names it in error messages. */
    public static UNetConfig parse(String json, String source) {
        return from(ConfigFile.parse(json, source));
    }

    /**
     * The architecture a diffusers UNet config describes; absent (or null) fields take
     * {@code UNet2DConditionModel.__init__}'s defaults, except {@code mid_block_type}, whose explicit null
     * means "no mid block".
     */
    public static UNetConfig from(ConfigFile c) {
        String className = c.string("_class_name", "UNet2DConditionModel");
        if (!className.equals("UNet2DConditionModel")) {
            throw c.invalid("_class_name", "expected UNet2DConditionModel");
        }
        requireAbsentOrEqual(c, "act_fn", "silu");
        requireAbsentOrEqual(c, "time_embedding_type", "positional");
        requireAbsentOrEqual(c, "attention_type", "default");
        requireAbsentOrEqual(c, "resnet_time_scale_shift", "default");
        requireAbsentOrEqual(c, "mid_block_type", MID_BLOCK);
        requireAbsentOrEqual(c, "dual_cross_attention", false);
        requireAbsentOrEqual(c, "only_cross_attention", false);
        requireAbsentOrEqual(c, "mid_block_only_cross_attention", false);
        requireAbsentOrEqual(c, "resnet_skip_time_act", false);
        requireAbsentOrEqual(c, "class_embeddings_concat", false);
        requireAbsentOrEqual(c, "resnet_out_scale_factor", 1.0);
        requireAbsentOrEqual(c, "downsample_padding", 1.0);
        for (String key : List.of("addition_embed_type", "class_embed_type", "num_class_embeds",
                "encoder_hid_dim", "encoder_hid_dim_type", "time_cond_proj_dim", "time_embedding_act_fn",
                "timestep_post_act", "cross_attention_norm", "reverse_transformer_layers_per_block",
                "projection_class_embeddings_input_dim", "addition_time_embed_dim")) {
            if (c.has(key)) {
                throw c.invalid(key, "not supported by sdm (only null is)");
            }
        }

        List<Integer> blockOut = positive(c, "block_out_channels", c.integers("block_out_channels"));
        int blocks = blockOut.size();
        if (blocks == 0) {
            throw c.invalid("block_out_channels", "at least one block is required");
        }
        List<String> downTypes = blockTypes(c, "down_block_types", blocks, Set.of(CROSS_ATTN_DOWN, DOWN));
        List<String> upTypes = blockTypes(c, "up_block_types", blocks, Set.of(CROSS_ATTN_UP, UP));
        for (int i = 0; i < blocks; i++) {
            boolean downCross = downTypes.get(i).equals(CROSS_ATTN_DOWN);
            boolean upCross = upTypes.get(blocks - 1 - i).equals(CROSS_ATTN_UP);
            if (downCross != upCross) {
                throw c.invalid("up_block_types", "must mirror down_block_types " + downTypes
                        + " (cross-attention in the same levels)");
            }
        }
        // diffusers 0.27.2 reads attention_head_dim as the head count when num_attention_heads is null
        List<Integer> heads = c.has("num_attention_heads") ? perBlock(c, "num_attention_heads", blocks, null)
                : perBlock(c, "attention_head_dim", blocks, null);
        int groups = c.integer("norm_num_groups", 32);
        for (int channels : blockOut) {
            if (groups <= 0 || channels % groups != 0) {
                throw c.invalid("norm_num_groups", "must divide every entry of block_out_channels " + blockOut);
            }
        }
        int convIn = oddKernel(c, "conv_in_kernel");
        int convOut = oddKernel(c, "conv_out_kernel");
        int sampleSize = sampleSize(c);
        return new UNetConfig(
                positive(c, "in_channels", 4),
                positive(c, "out_channels", 4),
                blockOut,
                perBlock(c, "layers_per_block", blocks, 2),
                downTypes,
                upTypes,
                heads,
                perBlock(c, "cross_attention_dim", blocks, 1280),
                perBlock(c, "transformer_layers_per_block", blocks, 1),
                c.bool("use_linear_projection", false),
                c.bool("upcast_attention", false),
                groups,
                c.number("norm_eps", 1e-5),
                c.bool("flip_sin_to_cos", true),
                c.number("freq_shift", 0),
                c.has("time_embedding_dim") ? c.integer("time_embedding_dim") : blockOut.get(0) * 4,
                c.bool("center_input_sample", false),
                c.number("mid_block_scale_factor", 1),
                convIn,
                convOut,
                sampleSize,
                !c.isNull("mid_block_type"));
    }

    /** Rejects a present, non-null value other than the one sdm supports. */
    private static void requireAbsentOrEqual(ConfigFile c, String key, Object supported) {
        if (!c.has(key)) {
            return;
        }
        boolean ok;
        if (supported instanceof Boolean b) {
            ok = c.bool(key) == b;
        } else if (supported instanceof Double d) {
            ok = c.number(key) == d;
        } else {
            ok = c.string(key).equals(supported);
        }
        if (!ok) {
            throw c.invalid(key, "not supported by sdm (only " + supported + " is)");
        }
    }

    private static int positive(ConfigFile c, String key, int defaultValue) {
        int v = c.integer(key, defaultValue);
        if (v <= 0) {
            throw c.invalid(key, "expected a positive integer");
        }
        return v;
    }

    private static List<Integer> positive(ConfigFile c, String key, int[] values) {
        for (int v : values) {
            if (v <= 0) {
                throw c.invalid(key, "entries must be positive");
            }
        }
        return Arrays.stream(values).boxed().toList();
    }

    /**
     * A per-block setting: one integer for every block or a list with one per block; {@code defaultValue}
     * null makes it required.
     */
    private static List<Integer> perBlock(ConfigFile c, String key, int blocks, Integer defaultValue) {
        if (!c.has(key) && defaultValue != null) {
            return Collections.nCopies(blocks, defaultValue);
        }
        return positive(c, key, c.integersOrRepeated(key, blocks));
    }

    private static List<String> blockTypes(ConfigFile c, String key, int blocks, Set<String> supported) {
        List<String> types = c.strings(key);
        if (types.size() != blocks) {
            throw c.invalid(key, "expected " + blocks + " entries, one per block_out_channels entry");
        }
        for (String type : types) {
            if (!supported.contains(type)) {
                throw c.invalid(key, "block type '" + type + "' is not supported (supported: "
                        + new TreeSet<>(supported) + ")");
            }
        }
        return types;
    }

    /** {@code sample_size}: one side, or {@code [height, width]} of which sdm keeps the height. */
    private static int sampleSize(ConfigFile c) {
        if (!c.isList("sample_size")) {
            return positive(c, "sample_size", 64);
        }
        int[] sides = positive(c, "sample_size", c.integers("sample_size")).stream().mapToInt(i -> i).toArray();
        if (sides.length == 0) {
            throw c.invalid("sample_size", "expected a size or [height, width]");
        }
        return sides[0];
    }

    private static int oddKernel(ConfigFile c, String key) {
        int k = c.integer(key, 3);
        if (k <= 0 || k % 2 == 0) {
            throw c.invalid(key, "expected a positive odd kernel size");
        }
        return k;
    }
}
