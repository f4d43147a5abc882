package io.github.sdm.unet.unet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import io.github.sdm.core.ModelFormatException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The architecture of a {@code UNet2DConditionModel}, as its diffusers {@code config.json} states it, with
 * every per-block setting expanded to one value per down block (in down-block order).
 *
 * <p>Only the features of Stable Diffusion 1.x / 2.x UNets are supported; any other value of a field that
 * would change the computation is rejected with a message naming the field.
 *
 * @param hasMidBlock false when {@code mid_block_type} is an explicit null (no mid block, as in BK-SDM
 *     students); an absent field means diffusers' default {@code UNetMidBlock2DCrossAttn}
 * @param attentionHeads number of heads per down block; diffusers 0.27.2 reads {@code attention_head_dim}
 *     as this number when {@code num_attention_heads} is null (a historical naming mix-up)
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
        String text;
        try {
            text = Files.readString(configJson);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("UNet config not found: " + configJson);
        } catch (IOException e) {
            throw new ModelFormatException("Cannot read UNet config " + configJson + ": " + e.getMessage(), e);
        }
        return parse(text, configJson.toString());
    }

    /** Parses a diffusers config; {@code source} names it in error messages. */
    public static UNetConfig parse(String json, String source) {
        JsonObject o;
        try (Reader r = new StringReader(json)) {
            JsonReader reader = new JsonReader(r);
            reader.setStrictness(Strictness.LENIENT);
            JsonElement e = JsonParser.parseReader(reader);
            if (!e.isJsonObject()) {
                throw new ModelFormatException(source + ": expected a JSON object");
            }
            o = e.getAsJsonObject();
        } catch (JsonParseException | IOException e) {
            throw new ModelFormatException(source + ": malformed JSON: " + e.getMessage(), e);
        }
        return new Parser(o, source).parse();
    }

    /** Reads one config object field by field, naming the source and field in every error. */
    private static final class Parser {
        private final JsonObject o;
        private final String source;

        Parser(JsonObject o, String source) {
            this.o = o;
            this.source = source;
        }

        UNetConfig parse() {
            String className = string("_class_name", "UNet2DConditionModel");
            if (!className.equals("UNet2DConditionModel")) {
                throw error("_class_name", className, "expected UNet2DConditionModel");
            }
            requireAbsentOrEqual("act_fn", "silu");
            requireAbsentOrEqual("time_embedding_type", "positional");
            requireAbsentOrEqual("attention_type", "default");
            requireAbsentOrEqual("resnet_time_scale_shift", "default");
            requireAbsentOrEqual("mid_block_type", "UNetMidBlock2DCrossAttn");
            requireAbsentOrEqual("dual_cross_attention", false);
            requireAbsentOrEqual("only_cross_attention", false);
            requireAbsentOrEqual("mid_block_only_cross_attention", false);
            requireAbsentOrEqual("resnet_skip_time_act", false);
            requireAbsentOrEqual("class_embeddings_concat", false);
            requireAbsentOrEqual("resnet_out_scale_factor", 1.0);
            requireAbsentOrEqual("downsample_padding", 1.0);
            for (String field : List.of("addition_embed_type", "class_embed_type", "num_class_embeds",
                    "encoder_hid_dim", "encoder_hid_dim_type", "time_cond_proj_dim", "time_embedding_act_fn",
                    "timestep_post_act", "cross_attention_norm", "reverse_transformer_layers_per_block",
                    "projection_class_embeddings_input_dim", "addition_time_embed_dim")) {
                requireNull(field);
            }

            List<Integer> blockOut = intList("block_out_channels", -1, null);
            int blocks = blockOut.size();
            if (blocks == 0) {
                throw error("block_out_channels", "[]", "at least one block is required");
            }
            List<String> downTypes = stringList("down_block_types", blocks, Set.of(CROSS_ATTN_DOWN, DOWN));
            List<String> upTypes = stringList("up_block_types", blocks, Set.of(CROSS_ATTN_UP, UP));
            for (int i = 0; i < blocks; i++) {
                boolean downCross = downTypes.get(i).equals(CROSS_ATTN_DOWN);
                boolean upCross = upTypes.get(blocks - 1 - i).equals(CROSS_ATTN_UP);
                if (downCross != upCross) {
                    throw error("up_block_types", upTypes.toString(),
                            "must mirror down_block_types " + downTypes + " (cross-attention in the same levels)");
                }
            }
            List<Integer> heads = o.has("num_attention_heads") && !o.get("num_attention_heads").isJsonNull()
                    ? intList("num_attention_heads", blocks, null)
                    : intList("attention_head_dim", blocks, null);
            int groups = integer("norm_num_groups", 32);
            for (int c : blockOut) {
                if (c % groups != 0) {
                    throw error("norm_num_groups", Integer.toString(groups),
                            "must divide every entry of block_out_channels " + blockOut);
                }
            }
            int convIn = integer("conv_in_kernel", 3);
            int convOut = integer("conv_out_kernel", 3);
            for (String f : List.of("conv_in_kernel", "conv_out_kernel")) {
                int k = f.equals("conv_in_kernel") ? convIn : convOut;
                if (k <= 0 || k % 2 == 0) {
                    throw error(f, Integer.toString(k), "expected a positive odd kernel size");
                }
            }
            Integer timeDim = o.has("time_embedding_dim") && !o.get("time_embedding_dim").isJsonNull()
                    ? integer("time_embedding_dim", 0) : null;
            JsonElement sample = o.get("sample_size");
            int sampleSize = sample == null || sample.isJsonNull() ? 64
                    : sample.isJsonArray() ? sample.getAsJsonArray().get(0).getAsInt() : sample.getAsInt();
            return new UNetConfig(
                    positive("in_channels", 4),
                    positive("out_channels", 4),
                    blockOut,
                    intList("layers_per_block", blocks, 2),
                    downTypes,
                    upTypes,
                    heads,
                    intList("cross_attention_dim", blocks, 1280),
                    intList("transformer_layers_per_block", blocks, 1),
                    bool("use_linear_projection", false),
                    bool("upcast_attention", false),
                    groups,
                    number("norm_eps", 1e-5),
                    bool("flip_sin_to_cos", true),
                    number("freq_shift", 0),
                    timeDim != null ? timeDim : blockOut.get(0) * 4,
                    bool("center_input_sample", false),
                    number("mid_block_scale_factor", 1),
                    convIn,
                    convOut,
                    sampleSize,
                    !(o.has("mid_block_type") && o.get("mid_block_type").isJsonNull()));
        }

        private ModelFormatException error(String field, String value, String why) {
            return new ModelFormatException(source + ": field '" + field + "' = " + value + ": " + why);
        }

        private boolean present(String field) {
            return o.has(field) && !o.get(field).isJsonNull();
        }

        private void requireNull(String field) {
            if (present(field)) {
                throw error(field, o.get(field).toString(), "not supported by sdm (only null is)");
            }
        }

        private void requireAbsentOrEqual(String field, Object supported) {
            if (!present(field)) {
                return;
            }
            JsonElement e = o.get(field);
            boolean ok;
            try {
                ok = supported instanceof Boolean b ? e.getAsBoolean() == b
                        : supported instanceof Double d ? e.getAsDouble() == d
                        : Objects.equals(e.getAsString(), supported);
            } catch (RuntimeException ex) {
                ok = false;
            }
            if (!ok) {
                throw error(field, e.toString(), "not supported by sdm (only " + supported + " is)");
            }
        }

        private String string(String field, String fallback) {
            return present(field) ? o.get(field).getAsString() : fallback;
        }

        private int integer(String field, int fallback) {
            if (!present(field)) {
                return fallback;
            }
            try {
                return o.get(field).getAsInt();
            } catch (RuntimeException e) {
                throw error(field, o.get(field).toString(), "expected an integer");
            }
        }

        private int positive(String field, int fallback) {
            int v = integer(field, fallback);
            if (v <= 0) {
                throw error(field, Integer.toString(v), "expected a positive integer");
            }
            return v;
        }

        private double number(String field, double fallback) {
            if (!present(field)) {
                return fallback;
            }
            try {
                return o.get(field).getAsDouble();
            } catch (RuntimeException e) {
                throw error(field, o.get(field).toString(), "expected a number");
            }
        }

        private boolean bool(String field, boolean fallback) {
            if (!present(field)) {
                return fallback;
            }
            JsonElement e = o.get(field);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
                throw error(field, e.toString(), "expected true or false");
            }
            return e.getAsBoolean();
        }

        /**
         * An int or a list of ints; a single int applies to every block. {@code length} -1 accepts any
         * length; {@code fallback} null makes the field required.
         */
        private List<Integer> intList(String field, int length, Integer fallback) {
            List<Integer> out = new ArrayList<>();
            if (!present(field)) {
                if (fallback == null) {
                    throw new ModelFormatException(source + ": required field '" + field + "' is missing");
                }
                for (int i = 0; i < length; i++) {
                    out.add(fallback);
                }
                return out;
            }
            JsonElement e = o.get(field);
            try {
                if (e.isJsonArray()) {
                    for (JsonElement v : e.getAsJsonArray()) {
                        out.add(v.getAsInt());
                    }
                    if (length >= 0 && out.size() != length) {
                        throw error(field, e.toString(), "expected " + length + " entries, one per block");
                    }
                } else {
                    if (length < 0) {
                        throw error(field, e.toString(), "expected a list");
                    }
                    int v = e.getAsInt();
                    for (int i = 0; i < length; i++) {
                        out.add(v);
                    }
                }
            } catch (ModelFormatException ex) {
                throw ex;
            } catch (RuntimeException ex) {
                throw error(field, e.toString(), "expected an integer or a list of integers");
            }
            for (int v : out) {
                if (v <= 0) {
                    throw error(field, e.toString(), "entries must be positive");
                }
            }
            return out;
        }

        private List<String> stringList(String field, int length, Set<String> allowed) {
            if (!present(field) || !o.get(field).isJsonArray()) {
                throw new ModelFormatException(source + ": required list field '" + field + "' is missing");
            }
            JsonArray a = o.get(field).getAsJsonArray();
            if (a.size() != length) {
                throw error(field, a.toString(), "expected " + length + " entries, one per block_out_channels entry");
            }
            List<String> out = new ArrayList<>();
            for (JsonElement v : a) {
                String s = v.getAsString();
                if (!allowed.contains(s)) {
                    throw error(field, a.toString(), "block type '" + s + "' is not supported (supported: "
                            + allowed + ")");
                }
                out.add(s);
            }
            return out;
        }
    }
}
