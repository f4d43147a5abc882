package io.github.sdm.unet.djl.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.InputShapeException;
import io.github.sdm.unet.djl.nn.LayerNorm;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.core.model.Precision;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Hugging Face {@code CLIPTextModel} (the text encoder of Stable Diffusion 1.x and 2.x): token and position
 * embeddings, {@code num_hidden_layers} pre-norm transformer layers with causal self-attention, and the
 * final layer norm. Its output is {@code last_hidden_state}, the UNet's {@code encoder_hidden_states}.
 *
 * <p>Parts are named by their checkpoint keys: {@code text_model.embeddings},
 * {@code text_model.encoder.layers.N} (with {@code layer_norm1}, {@code self_attn.{q,k,v,out}_proj},
 * {@code layer_norm2}, {@code mlp.fc1}, {@code mlp.fc2}) and {@code text_model.final_layer_norm}.
 *
 * <p>Owns its weights (in a sub-manager of the manager given at load); {@link #close()} frees them.
 */
public final class CLIPTextModel extends Network {
    /** float16's largest finite value. */
    private static final float HALF_MAX = 65504f;
    public static final String CONFIG_FILE = "config.json";
    public static final String WEIGHTS_FILE = "model.safetensors";
    /** A constant buffer ({@code arange(max_positions)}) that some checkpoints store; not a weight. */
    public static final String POSITION_IDS_KEY = "text_model.embeddings.position_ids";

    private final CLIPTextConfig config;
    private final CLIPTextEmbeddings embeddings;
    private final List<CLIPEncoderLayer> layers = new ArrayList<>();
    private final LayerNorm finalLayerNorm;

    /** The architecture only; weights come from {@link #load} or {@link #random}. */
    public CLIPTextModel(CLIPTextConfig config) {
        this.config = config;
        embeddings = child(new CLIPTextEmbeddings("text_model.embeddings", config.vocabSize(),
                config.maxPositionEmbeddings(), config.hiddenSize()));
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(child(new CLIPEncoderLayer("text_model.encoder.layers." + i, config)));
        }
        finalLayerNorm = child(new LayerNorm("text_model.final_layer_norm", config.hiddenSize(),
                config.layerNormEps()));
    }

    /** Reads {@code config.json} and {@code model.safetensors} of a Hugging Face text encoder folder. */
    public static CLIPTextModel load(Path componentFolder, NDManager manager) {
        CLIPTextConfig config = CLIPTextConfig.read(componentFolder.resolve(CONFIG_FILE));
        return fromComponentFolder(componentFolder, weights -> load(config, weights, manager));
    }

    /**
     * Builds {@code config}'s text encoder with weights from any source (e.g. a single-file checkpoint's
     * view); a stored {@code text_model.embeddings.position_ids} buffer is ignored, as transformers does.
     */
    public static CLIPTextModel load(CLIPTextConfig config, WeightSource weights, NDManager manager) {
        return load(config, weights, manager, Precision.FP32);
    }

    /** {@link #load(CLIPTextConfig, WeightSource, NDManager)} with the weights held as {@code storage}. */
    public static CLIPTextModel load(CLIPTextConfig config, WeightSource weights, NDManager manager, Precision storage) {
        return withWeights(new CLIPTextModel(config), withoutPositionIds(weights), manager, storage);
    }

    /** Builds {@code config}'s text encoder with seeded random weights, for timing without a checkpoint. */
    public static CLIPTextModel random(CLIPTextConfig config, long seed, NDManager manager) {
        return withRandomWeights(new CLIPTextModel(config), seed, manager);
    }

    private static WeightSource withoutPositionIds(WeightSource weights) {
        if (!weights.names().contains(POSITION_IDS_KEY)) {
            return weights;
        }
        return weights.renamed("without " + POSITION_IDS_KEY, k -> k.equals(POSITION_IDS_KEY) ? null : k);
    }

    public CLIPTextConfig config() {
        return config;
    }

    public CLIPTextEmbeddings embeddings() {
        return embeddings;
    }

    public List<CLIPEncoderLayer> layers() {
        return Collections.unmodifiableList(layers);
    }

    public LayerNorm finalLayerNorm() {
        return finalLayerNorm;
    }

    /** {@link #encode(NDArray, ForwardContext)} without interception. */
    public NDArray encode(NDArray inputIds) {
        return encode(inputIds, ForwardContext.DEFAULT);
    }

    /**
     * @param inputIds token ids {@code [B, L]} (int64 or int32), {@code L <= max_position_embeddings}
     *     (77 for Stable Diffusion), every id below {@code vocab_size}
     * @return {@code last_hidden_state [B, L, hidden]}, attached to the manager of {@code inputIds}
     */
    public NDArray encode(NDArray inputIds, ForwardContext ctx) {
        checkShape(inputIds);
        return ctx.scoped(inputIds.getManager(), new NDList(inputIds), c -> forward(c, new NDList(inputIds))).head();
    }

    /**
     * The hidden states of a chosen layer and the pooled output, as diffusers' pipelines read them from
     * transformers' {@code CLIPTextModel}.
     *
     * @param clipSkip the layer counted from the end, in {@code [1, num_hidden_layers]}: 1 gives
     *     {@code last_hidden_state}; k gives {@code final_layer_norm(hidden_states[-k])}, the output of layer
     *     {@code N - k} (0-based) normed (diffusers' {@code clip_skip = k - 1})
     * @return hidden states {@code [B, L, hidden]} and {@code pooler_output [B, hidden]}: the last hidden
     *     state at each sequence's end-of-text token, located as transformers does for the original CLIP
     *     tokenizer (the position of the largest id), attached to the manager of {@code inputIds}
     */
    public CLIPTextOutput encode(NDArray inputIds, int clipSkip, ForwardContext ctx) {
        checkShape(inputIds);
        checkClipSkip(clipSkip);
        NDList out = ctx.scoped(inputIds.getManager(), new NDList(inputIds), c -> {
            NDList hidden = clipSkip == 1 ? forward(c, new NDList(inputIds)) : layerOutputs(c, inputIds, clipSkip);
            NDArray last = hidden.get(0);
            return new NDList(hidden.get(hidden.size() - 1), pooled(last, inputIds));
        });
        return new CLIPTextOutput(out.get(0), out.get(1));
    }

    private void checkClipSkip(int clipSkip) {
        if (clipSkip < 1 || clipSkip > config.numHiddenLayers()) {
            throw new InvalidRequestException("clip skip must be in [1, " + config.numHiddenLayers()
                    + "] for this text encoder of " + config.numHiddenLayers() + " layers (1 = the last layer), got "
                    + clipSkip);
        }
    }

    /** {@code last[b, argmax(ids[b])]} for every b: the first end-of-text token, the largest id in CLIP's vocabulary. */
    private static NDArray pooled(NDArray last, NDArray inputIds) {
        long[] ids = inputIds.toType(DataType.INT64, false).toLongArray();
        int batch = (int) inputIds.getShape().get(0);
        int length = (int) inputIds.getShape().get(1);
        NDList rows = new NDList(batch);
        for (int b = 0; b < batch; b++) {
            int end = 0;
            for (int i = 1; i < length; i++) {
                if (ids[b * length + i] > ids[b * length + end]) {
                    end = i;
                }
            }
            rows.add(last.get(b, end));
        }
        return NDArrays.stack(rows);
    }

    /** Inputs: {@code input_ids [B, L]}. Output: {@code last_hidden_state [B, L, hidden]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        return layerOutputs(ctx, inputs.head(), 1);
    }

    /**
     * {@code [last_hidden_state]} for {@code clipSkip} 1, else {@code [last_hidden_state, chosen]} with the
     * chosen layer's output passed through {@code final_layer_norm}.
     */
    private NDList layerOutputs(ForwardContext ctx, NDArray inputIds, int clipSkip) {
        NDArray ids = inputIds;
        checkShape(ids);
        if (ids.getDataType() != DataType.INT64) {
            ids = ids.toType(DataType.INT64, false);
        }
        checkRange(ids);
        NDArray h = embeddings.forward(ctx, ids);
        NDArray mask = causalMask(ids, ctx.computeType());
        int chosenLayer = layers.size() - clipSkip;
        NDArray chosen = null;
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(ctx, h, mask);
            if (i == chosenLayer && clipSkip > 1) {
                chosen = h;
            }
        }
        // the embeddings leave the network in float32 whatever it computes in
        NDList out = new NDList(ForwardContext.toFloat32(finalLayerNorm.forward(ctx, h)));
        if (chosen != null) {
            out.add(ForwardContext.toFloat32(finalLayerNorm.forward(ctx, chosen)));
        }
        return out;
    }

    private void checkShape(NDArray ids) {
        Shape shape = ids.getShape();
        DataType type = ids.getDataType();
        if (shape.dimension() != 2 || shape.get(1) < 1 || shape.get(1) > config.maxPositionEmbeddings()) {
            throw new InputShapeException("text encoder: expected input_ids [B, L] with 1 <= L <= "
                    + config.maxPositionEmbeddings() + ", got " + shape);
        }
        if (type != DataType.INT64 && type != DataType.INT32) {
            throw new InputShapeException("text encoder: expected int64 or int32 input_ids, got " + type);
        }
    }

    /** An out-of-range id would otherwise fail deep inside the engine's embedding op. */
    private void checkRange(NDArray ids) {
        long min = ids.min().getLong();
        long max = ids.max().getLong();
        if (min < 0 || max >= config.vocabSize()) {
            throw new InputShapeException("text encoder: token ids must lie in [0, " + config.vocabSize()
                    + "), got ids from " + min + " to " + max);
        }
    }

    /**
     * {@code [L, L]} in {@code type}, 0 where key position {@code j <= i} and the type's most negative finite value
     * above the diagonal, as transformers' {@code _create_4d_causal_attention_mask} ({@code torch.finfo(dtype).min};
     * softmax then gives those keys weight 0).
     */
    private static NDArray causalMask(NDArray ids, DataType type) {
        long length = ids.getShape().get(1);
        NDArray positions = ids.getManager().arange(0, (int) length, 1, DataType.INT64);
        NDArray future = positions.reshape(1, length).gt(positions.reshape(length, 1));
        if (type == DataType.FLOAT32) {
            return future.toType(DataType.FLOAT32, false).mul(-Float.MAX_VALUE);
        }
        // float16's lowest finite value, exact in float32; -Float.MAX_VALUE would round to -inf, and 0 * -inf is NaN
        return future.toType(DataType.FLOAT32, false).mul(-HALF_MAX).toType(type, false);
    }
}
