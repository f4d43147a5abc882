package io.github.sdm.unet.graph;

import io.github.sdm.core.model.Precision;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.weights.WeightSource;
import java.util.List;

/**
 * transformers' {@code CLIPTextModel} as an ONNX graph, under the names of the DJL part tree
 * ({@code unet.djl.clip}): token and position embeddings, the encoder layers with a causal mask, the final layer
 * norm. Input {@code input_ids [batch, tokens]} (int64); outputs {@code last_hidden_state} and {@code pooler_output}
 * (the final hidden state at each row's highest token id, CLIP's end-of-text token), the names optimum's exporter
 * gives, and, for clip skip, {@code clip_skip_<k>} for every {@code k} from 2 to the layer count: the output of layer
 * {@code layers - k} through the final layer norm, as the DJL encoder computes it.
 */
public final class ClipTextGraph {
    private static final String PREFIX = "text_model.";
    /** The prefix of the clip-skip outputs, followed by the skip ({@code clip_skip_2} for the penultimate layer). */
    public static final String CLIP_SKIP_OUTPUT = "clip_skip_";
    private final CLIPTextConfig config;
    private final Layers layers;
    private final GraphBuilder g;

    private ClipTextGraph(CLIPTextConfig config, GraphBuilder g) {
        this.config = config;
        this.g = g;
        this.layers = new Layers(g);
    }

    /**
     * The text encoder of {@code config} with its weights from {@code weights} (transformers keys).
     *
     * @throws io.github.sdm.core.error.ModelFormatException naming a weight {@code weights} lacks or holds in another
     *     shape
     */
    public static BuiltGraph build(CLIPTextConfig config, WeightSource weights) {
        return build(config, weights, Precision.FP32);
    }

    /** As {@link #build(CLIPTextConfig, WeightSource)}, with the linear weights held in {@code storage}. */
    public static BuiltGraph build(CLIPTextConfig config, WeightSource weights, Precision storage) {
        GraphBuilder g = new GraphBuilder("text_encoder", weights, storage);
        new ClipTextGraph(config, g).encode();
        return g.build("the text encoder built from " + weights.description());
    }

    private void encode() {
        int hidden = config.hiddenSize();
        int maxPositions = config.maxPositionEmbeddings();
        String ids = g.input("input_ids", ElementType.INT64, "batch", "tokens");
        String length = g.node("Slice", List.of(g.node("Shape", List.of(ids)), g.longs(1), g.longs(2)));
        String tokens = g.node("Gather", List.of(g.weight(PREFIX + "embeddings.token_embedding.weight",
                config.vocabSize(), hidden), ids));
        String positions = g.node("Slice", List.of(g.weight(PREFIX + "embeddings.position_embedding.weight",
                maxPositions, hidden), g.longs(0), length, g.longs(0)));
        String h = layers.add(tokens, positions);
        String mask = causalMask(maxPositions, length);
        List<String> layerOutputs = new java.util.ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            h = encoderLayer(h, PREFIX + "encoder.layers." + i, mask);
            layerOutputs.add(h);
        }
        String last = layers.layerNorm(h, PREFIX + "final_layer_norm", hidden, config.layerNormEps());
        g.output("last_hidden_state", last, "batch", "tokens", (long) hidden);
        for (int skip = 2; skip <= config.numHiddenLayers(); skip++) {
            String earlier = layerOutputs.get(config.numHiddenLayers() - skip);
            g.output(CLIP_SKIP_OUTPUT + skip, layers.layerNorm(earlier, PREFIX + "final_layer_norm", hidden,
                    config.layerNormEps()), "batch", "tokens", (long) hidden);
        }
        String end = g.node("ArgMax", List.of(ids), Attribute.of("axis", 1L), Attribute.of("keepdims", 1L));
        String pooled = g.node("GatherND", List.of(last, end), Attribute.of("batch_dims", 1L));
        g.output("pooler_output", pooled, "batch", (long) hidden);
    }

    /**
     * The additive causal mask {@code [tokens, tokens]}: float32's lowest value above the diagonal (a token sees no
     * later token), as the DJL encoder uses, cut from a constant of the longest length.
     */
    private String causalMask(int maxPositions, String length) {
        float[] mask = new float[maxPositions * maxPositions];
        for (int i = 0; i < maxPositions; i++) {
            for (int j = i + 1; j < maxPositions; j++) {
                mask[i * maxPositions + j] = -Float.MAX_VALUE;
            }
        }
        String full = g.floats(mask, maxPositions, maxPositions);
        String rows = g.node("Slice", List.of(full, g.longs(0), length, g.longs(0)));
        return g.node("Slice", List.of(rows, g.longs(0), length, g.longs(1)));
    }

    /** {@code CLIPEncoderLayer}: pre-normed self-attention and MLP, each residual. */
    private String encoderLayer(String x, String key, String mask) {
        int hidden = config.hiddenSize();
        double eps = config.layerNormEps();
        String attended = layers.attention(layers.layerNorm(x, key + ".layer_norm1", hidden, eps), null,
                key + ".self_attn", hidden, hidden, config.numAttentionHeads(), config.headDim(), true, mask,
                new String[] {"q_proj", "k_proj", "v_proj", "out_proj"});
        String h = layers.add(x, attended);
        String mlp = layers.linear(layers.layerNorm(h, key + ".layer_norm2", hidden, eps), key + ".mlp.fc1", hidden,
                config.intermediateSize(), true);
        mlp = switch (config.activation()) {
            case QUICK_GELU -> layers.quickGelu(mlp);
            case GELU -> layers.gelu(mlp);
        };
        return layers.add(h, layers.linear(mlp, key + ".mlp.fc2", config.intermediateSize(), hidden, true));
    }
}
