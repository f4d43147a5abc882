package io.github.sdm.unet.ldm;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.safetensors.TensorInfo;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenCLIP text transformer of a Stable Diffusion 2.x single file ({@code cond_stage_model.model.*},
 * given here without the prefix) seen as a Hugging Face {@code CLIPTextModel}, as diffusers 0.27.2's
 * {@code convert_open_clip_checkpoint} converts it: {@code transformer.resblocks.N} become
 * {@code text_model.encoder.layers.N} ({@code ln_1/ln_2} the layer norms, {@code attn.out_proj},
 * {@code mlp.c_fc/c_proj} as {@code mlp.fc1/fc2}), and each fused {@code attn.in_proj_weight [3D, D]} /
 * {@code in_proj_bias [3D]} is split by rows into {@code q_proj}, {@code k_proj}, {@code v_proj}. The split
 * is a view: row blocks of a row-major tensor are contiguous byte ranges.
 *
 * <p>Layers at or beyond {@code layers} are hidden (SD 2.x runs 23 of the 24 stored layers, taking the
 * penultimate layer's output), and so are the other top-level keys ({@code text_projection},
 * {@code logit_scale}, buffers), which diffusers does not read either. Transformer keys without an
 * equivalent keep their name so the loader reports them.
 */
public final class OpenClipTextWeights implements WeightSource {
    private static final Pattern RESBLOCK = Pattern.compile("transformer\\.resblocks\\.(\\d{1,4})\\.(.+)");
    private static final Map<String, String> TOP_LEVEL = Map.of(
            "token_embedding.weight", "text_model.embeddings.token_embedding.weight",
            "positional_embedding", "text_model.embeddings.position_embedding.weight",
            "ln_final.weight", "text_model.final_layer_norm.weight",
            "ln_final.bias", "text_model.final_layer_norm.bias");
    private static final Map<String, String> LAYER = Map.of(
            "ln_1.weight", "layer_norm1.weight",
            "ln_1.bias", "layer_norm1.bias",
            "ln_2.weight", "layer_norm2.weight",
            "ln_2.bias", "layer_norm2.bias",
            "attn.out_proj.weight", "self_attn.out_proj.weight",
            "attn.out_proj.bias", "self_attn.out_proj.bias",
            "mlp.c_fc.weight", "mlp.fc1.weight",
            "mlp.c_fc.bias", "mlp.fc1.bias",
            "mlp.c_proj.weight", "mlp.fc2.weight",
            "mlp.c_proj.bias", "mlp.fc2.bias");
    private static final String[] QKV = {"q_proj", "k_proj", "v_proj"};

    /** Where a target tensor lives: a whole source tensor, or row block {@code part} of three. */
    private record Origin(String sourceKey, int part) {
        static final int WHOLE = -1;
    }

    private final WeightSource source;
    private final Map<String, Origin> origins = new LinkedHashMap<>();

    /**
     * @param source the OpenCLIP keys, without the {@code cond_stage_model.model.} prefix
     * @param layers the text encoder config's {@code num_hidden_layers}
     */
    public OpenClipTextWeights(WeightSource source, int layers) {
        this.source = source;
        for (String key : source.names()) {
            if (TOP_LEVEL.containsKey(key)) {
                put(TOP_LEVEL.get(key), new Origin(key, Origin.WHOLE));
                continue;
            }
            Matcher m = RESBLOCK.matcher(key);
            if (!m.matches()) {
                // diffusers reads only the keys above and the transformer's (e.g. not a stored attn_mask)
                if (key.startsWith("transformer.")) {
                    put(key, new Origin(key, Origin.WHOLE));
                }
                continue;
            }
            int layer = Integer.parseInt(m.group(1));
            if (layer >= layers) {
                continue;
            }
            String prefix = "text_model.encoder.layers." + layer + ".";
            String rest = m.group(2);
            if (rest.equals("attn.in_proj_weight") || rest.equals("attn.in_proj_bias")) {
                String leaf = rest.endsWith("weight") ? "weight" : "bias";
                for (int part = 0; part < QKV.length; part++) {
                    put(prefix + "self_attn." + QKV[part] + "." + leaf, new Origin(key, part));
                }
            } else if (LAYER.containsKey(rest)) {
                put(prefix + LAYER.get(rest), new Origin(key, Origin.WHOLE));
            } else {
                put(key, new Origin(key, Origin.WHOLE));
            }
        }
    }

    private void put(String target, Origin origin) {
        Origin previous = origins.putIfAbsent(target, origin);
        if (previous != null) {
            throw new ModelFormatException(source.description() + ": tensors '" + previous.sourceKey() + "' and '"
                    + origin.sourceKey() + "' both map to '" + target + "' (OpenCLIP text encoder)");
        }
    }

    @Override
    public String description() {
        return source.description() + " (OpenCLIP text encoder keys as CLIPTextModel's)";
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(origins.keySet());
    }

    @Override
    public TensorInfo info(String name) {
        Origin origin = origin(name);
        TensorInfo info = source.info(origin.sourceKey());
        if (origin.part() == Origin.WHOLE) {
            return info;
        }
        long[] shape = info.shape().clone();
        if (shape.length == 0 || shape[0] % QKV.length != 0) {
            throw new ModelFormatException(source.description() + ": fused attention tensor '" + origin.sourceKey()
                    + "' should have 3 * hidden rows, found shape " + Arrays.toString(shape));
        }
        shape[0] /= QKV.length;
        long partBytes = info.byteLength() / QKV.length;
        long begin = info.begin() + origin.part() * partBytes;
        return new TensorInfo(info.name(), info.dtype(), shape, begin, begin + partBytes);
    }

    @Override
    public ByteBuffer bytes(String name) {
        Origin origin = origin(name);
        ByteBuffer all = source.bytes(origin.sourceKey());
        if (origin.part() == Origin.WHOLE) {
            return all;
        }
        int partBytes = (int) info(name).byteLength();
        return all.slice(origin.part() * partBytes, partBytes).order(all.order());
    }

    private Origin origin(String name) {
        Origin origin = origins.get(name);
        if (origin == null) {
            throw new ModelFormatException(description() + ": no tensor named '" + name + "'");
        }
        return origin;
    }
}
