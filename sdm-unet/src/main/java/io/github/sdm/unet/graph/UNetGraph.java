package io.github.sdm.unet.graph;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.model.Precision;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.weights.WeightSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * diffusers' {@code UNet2DConditionModel} (SD 1.x / 2.x, what {@link UNetConfig} accepts) as an ONNX graph, emitted
 * part by part in the order and under the names of the DJL part tree ({@code unet.djl.unet}): time embedding,
 * {@code conv_in}, down blocks (resnets, transformers, downsampler), the optional mid block, up blocks fed by the skip
 * connections, and the head. Inputs {@code sample [batch, in, height, width]}, {@code timestep [batch]} (float, so
 * fractional timesteps pass unrounded) and {@code encoder_hidden_states [batch, tokens, cross_attention_dim]}; output
 * {@code out_sample}: the names optimum's exporter gives, so the export's denoiser runs the built graph unchanged.
 *
 * <p>The values feature inheritance reuses stay addressable as <em>points</em>, named as the DJL part tree names
 * them: every layer ({@code down_blocks.1.resnets.0}, {@code mid_block.attentions.0},
 * {@code up_blocks.2.upsamplers.0}, ...), every transformer unit ({@code ...transformer_blocks.0.attn1}, {@code attn2},
 * {@code ff}) and the hidden state entering the last {@code k} up layers ({@link #deepFeature}, DeepCache's cut). A
 * {@link UNetCut} builds a variant that takes some points as inputs (the rest of what computed them is pruned) or
 * also returns some as outputs.
 */
public final class UNetGraph {
    private static final String DEEP_FEATURE = "deep_feature.";
    private final UNetConfig config;
    private final UNetCut cut;
    private final Layers layers;
    private final GraphBuilder g;
    private final List<String> points = new ArrayList<>();
    private final String temb;
    private final String context;

    private UNetGraph(UNetConfig config, UNetCut cut, GraphBuilder g) {
        this.config = config;
        this.cut = cut;
        this.g = g;
        this.layers = new Layers(g);
        String sample = g.input("sample", ElementType.FLOAT, "batch", (long) config.inChannels(), "height", "width");
        String timestep = g.input("timestep", ElementType.FLOAT, "batch");
        this.context = g.input("encoder_hidden_states", ElementType.FLOAT, "batch", "tokens",
                (long) config.crossAttentionDim().get(0));
        this.temb = timeEmbedding(timestep);
        g.output("out_sample", pass(sample), "batch", (long) config.outChannels(), "height", "width");
    }

    /**
     * The UNet of {@code config} with its weights from {@code weights} (diffusers keys).
     *
     * @throws io.github.sdm.core.error.ModelFormatException naming a weight {@code weights} lacks or holds in another
     *     shape
     */
    public static BuiltGraph build(UNetConfig config, WeightSource weights) {
        return build(config, weights, Precision.FP32);
    }

    /**
     * As {@link #build(UNetConfig, WeightSource)}, with the linear and convolution weights held in {@code storage}
     * ({@link GraphBuilder#layerWeight}).
     */
    public static BuiltGraph build(UNetConfig config, WeightSource weights, Precision storage) {
        return variant(config, weights, storage, UNetCut.NONE).graph();
    }

    /** As {@link #variant(UNetConfig, WeightSource, Precision, UNetCut)} with float32 weights. */
    public static UNetGraphVariant variant(UNetConfig config, WeightSource weights, UNetCut cut) {
        return variant(config, weights, Precision.FP32, cut);
    }

    /**
     * The variant of the UNet that {@code cut} asks for, pruned to what its outputs need, with the linear and
     * convolution weights held in {@code storage}: a variant that reads another graph's initializers
     * ({@code OnnxGraph.openVariant}) must be built with that graph's storage, so that it declares the same
     * initializers (an int8 weight's values and scales, a float16 weight) and reads them through the same casts.
     *
     * @throws InvalidRequestException if {@code cut} names a point this UNet does not have
     * @throws io.github.sdm.core.error.ModelFormatException naming a weight {@code weights} lacks or holds in another
     *     shape
     */
    public static UNetGraphVariant variant(UNetConfig config, WeightSource weights, Precision storage, UNetCut cut) {
        GraphBuilder g = new GraphBuilder("unet", weights, storage);
        UNetGraph unet = new UNetGraph(config, cut, g);
        Set<String> unknown = new LinkedHashSet<>(cut.fed());
        unknown.addAll(cut.exposed());
        unknown.removeAll(unet.points);
        if (!unknown.isEmpty()) {
            throw new InvalidRequestException("the UNet graph has no point " + unknown + " to feed or expose; its points"
                    + " are its layers, transformer units and deep_feature.1.." + unet.skipCount());
        }
        String description = "the UNet built from " + weights.description()
                + (cut.equals(UNetCut.NONE) ? "" : " (a variant feeding " + cut.fed() + ", exposing " + cut.exposed() + ")");
        BuiltGraph graph = g.build(description);
        Set<String> fed = new LinkedHashSet<>(g.keptInputs());
        fed.retainAll(cut.fed());
        return new UNetGraphVariant(graph, unet.points, fed, cut.exposed());
    }

    /**
     * The UNet as a backend loads it: the whole network that also returns every {@link #deepFeature}, so that
     * DeepCache's caching pass at any depth is the loaded graph itself and only its small reuse passes need sessions of
     * their own. The extra outputs are values the network computes anyway; a caller fetches only what it asks for.
     *
     * @throws io.github.sdm.core.error.ModelFormatException naming a weight {@code weights} lacks or holds in another
     *     shape
     */
    public static UNetGraphVariant loaded(UNetConfig config, WeightSource weights) {
        return loaded(config, weights, Precision.FP32);
    }

    /** As {@link #loaded(UNetConfig, WeightSource)}, with the linear and convolution weights held in {@code storage}. */
    public static UNetGraphVariant loaded(UNetConfig config, WeightSource weights, Precision storage) {
        return variant(config, weights, storage, loadedCut(config));
    }

    /** The cut of {@link #loaded}: nothing fed, every deep feature exposed. */
    public static UNetCut loadedCut(UNetConfig config) {
        Set<String> deepFeatures = new LinkedHashSet<>();
        for (int k = 1; k <= skipCount(config); k++) {
            deepFeatures.add(deepFeature(k));
        }
        return UNetCut.exposing(deepFeatures);
    }

    /**
     * The name of the hidden state entering the last {@code k} up layers of the UNet, the feature DeepCache reuses
     * at shallow depth {@code k} (1 to the number of skip connections: {@code deep_feature.<k>}).
     */
    public static String deepFeature(int k) {
        return DEEP_FEATURE + k;
    }

    /** The skip connections of the UNet of {@code config}: {@code conv_in}'s output, one per down layer and downsampler. */
    public static int skipCount(UNetConfig config) {
        int count = config.blockCount(); // conv_in's output, and one per downsampler (every block but the last)
        for (int i = 0; i < config.blockCount(); i++) {
            count += config.layersPerBlock().get(i);
        }
        return count;
    }

    private int skipCount() {
        return skipCount(config);
    }

    /**
     * Marks {@code value} as the point {@code name}: fed (an input of that name replaces it) or exposed (also an
     * output of that name) as the cut asks.
     */
    private String point(String name, String value, int rank) {
        points.add(name);
        Object[] dims = new Object[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = name + ".d" + i; // dynamic, and distinct from every other input's
        }
        String out = cut.fed().contains(name) ? g.optionalInput(name, ElementType.FLOAT, dims) : value;
        if (cut.exposed().contains(name)) {
            g.output(name, out, dims);
        }
        return out;
    }

    /** {@code time_proj} (sinusoids, float32) then {@code time_embedding} (linear, SiLU, linear). */
    private String timeEmbedding(String timestep) {
        int dim = config.blockOutChannels().get(0);
        int half = dim / 2;
        float[] freqs = new float[half];
        for (int i = 0; i < half; i++) {
            // as TimestepProjection computes them in float32: arange * -ln(10000) / (half - shift), exp
            freqs[i] = (float) Math.exp((float) (i * (float) -Math.log(10000)) / (float) (half - config.freqShift()));
        }
        String angles = g.node("Mul", List.of(g.node("Unsqueeze", List.of(timestep, g.longs(1))),
                g.floats(freqs, 1, half)));
        String sin = g.node("Sin", List.of(angles));
        String cos = g.node("Cos", List.of(angles));
        String emb = g.node("Concat", config.flipSinToCos() ? List.of(cos, sin) : List.of(sin, cos),
                Attribute.of("axis", 1L));
        if (dim % 2 == 1) {
            String zeros = g.node("Mul", List.of(g.node("Slice", List.of(emb, g.longs(0), g.longs(1), g.longs(1))),
                    g.scalar(0f)));
            emb = g.node("Concat", List.of(emb, zeros), Attribute.of("axis", 1L));
        }
        int embDim = config.timeEmbeddingDim();
        String h = layers.silu(layers.linear(emb, "time_embedding.linear_1", dim, embDim, true));
        return layers.linear(h, "time_embedding.linear_2", embDim, embDim, true);
    }

    private String pass(String sample) {
        List<Integer> channels = config.blockOutChannels();
        int blocks = config.blockCount();
        String x = config.centerInputSample()
                ? g.node("Sub", List.of(g.node("Mul", List.of(sample, g.scalar(2f))), g.scalar(1f))) : sample;
        int c0 = channels.get(0);
        String h = layers.conv(x, "conv_in", config.inChannels(), c0, config.convInKernel(), 1,
                (config.convInKernel() - 1) / 2);
        List<String> skips = new ArrayList<>();
        List<Integer> skipChannels = new ArrayList<>();
        skips.add(h);
        skipChannels.add(c0);
        int out = c0;
        for (int i = 0; i < blocks; i++) {
            String key = "down_blocks." + i;
            int in = out;
            out = channels.get(i);
            boolean cross = config.downBlockTypes().get(i).equals(UNetConfig.CROSS_ATTN_DOWN);
            for (int j = 0; j < config.layersPerBlock().get(i); j++) {
                h = point(key + ".resnets." + j, resnet(h, key + ".resnets." + j, j == 0 ? in : out, out, 1.0), 4);
                if (cross) {
                    h = point(key + ".attentions." + j, transformer(h, key + ".attentions." + j, i, out), 4);
                }
                skips.add(h);
                skipChannels.add(out);
            }
            if (i < blocks - 1) {
                h = point(key + ".downsamplers.0", layers.conv(h, key + ".downsamplers.0.conv", out, out, 3, 2, 1), 4);
                skips.add(h);
                skipChannels.add(out);
            }
        }
        int deepest = channels.get(blocks - 1);
        if (config.hasMidBlock()) {
            h = point("mid_block.resnets.0", resnet(h, "mid_block.resnets.0", deepest, deepest,
                    config.midBlockScaleFactor()), 4);
            h = point("mid_block.attentions.0", transformer(h, "mid_block.attentions.0", blocks - 1, deepest), 4);
            h = point("mid_block.resnets.1", resnet(h, "mid_block.resnets.1", deepest, deepest,
                    config.midBlockScaleFactor()), 4);
        }
        int prev = deepest;
        for (int i = 0; i < blocks; i++) {
            String key = "up_blocks." + i;
            int level = blocks - 1 - i;
            int outCh = channels.get(level);
            boolean cross = config.upBlockTypes().get(i).equals(UNetConfig.CROSS_ATTN_UP);
            for (int j = 0; j < config.layersPerBlock().get(level) + 1; j++) {
                // the hidden state entering the last skips.size() up layers: DeepCache's feature at that depth
                h = point(deepFeature(skips.size()), h, 4);
                String skip = skips.remove(skips.size() - 1);
                int skipCh = skipChannels.remove(skipChannels.size() - 1);
                String joined = g.node("Concat", List.of(h, skip), Attribute.of("axis", 1L));
                h = point(key + ".resnets." + j, resnet(joined, key + ".resnets." + j, (j == 0 ? prev : outCh) + skipCh,
                        outCh, 1.0), 4);
                if (cross) {
                    h = point(key + ".attentions." + j, transformer(h, key + ".attentions." + j, level, outCh), 4);
                }
            }
            if (i < blocks - 1) {
                h = point(key + ".upsamplers.0", upsample(h, key + ".upsamplers.0", outCh, skips.get(skips.size() - 1)),
                        4);
            }
            prev = outCh;
        }
        h = layers.silu(layers.groupNorm(h, "conv_norm_out", config.normNumGroups(), c0, config.normEps()));
        return layers.conv(h, "conv_out", c0, config.outChannels(), config.convOutKernel(), 1,
                (config.convOutKernel() - 1) / 2);
    }

    /**
     * {@code ResnetBlock2D}: {@code conv1(silu(norm1(x))) + time_emb_proj(silu(temb))}, {@code conv2(silu(norm2(.)))},
     * plus the (1x1-projected) input, divided by the output scale factor.
     */
    private String resnet(String x, String key, int in, int out, double outputScaleFactor) {
        int groups = config.normNumGroups();
        double eps = config.normEps();
        String h = layers.conv(layers.silu(layers.groupNorm(x, key + ".norm1", groups, in, eps)), key + ".conv1",
                in, out, 3, 1, 1);
        String t = layers.linear(layers.silu(temb), key + ".time_emb_proj", config.timeEmbeddingDim(), out, true);
        h = layers.add(h, g.node("Unsqueeze", List.of(t, g.longs(2, 3))));
        h = layers.conv(layers.silu(layers.groupNorm(h, key + ".norm2", groups, out, eps)), key + ".conv2",
                out, out, 3, 1, 1);
        String shortcut = in != out ? layers.conv(x, key + ".conv_shortcut", in, out, 1, 1, 0) : x;
        String sum = layers.add(shortcut, h);
        return outputScaleFactor == 1.0 ? sum
                : g.node("Div", List.of(sum, g.scalar((float) outputScaleFactor)));
    }

    /**
     * {@code Transformer2DModel}: group norm, {@code proj_in} (1x1 convolution, or linear on the tokens with
     * {@code use_linear_projection}), the transformer blocks on {@code [B, H*W, inner]}, {@code proj_out}, plus the
     * input.
     */
    private String transformer(String x, String key, int level, int channels) {
        int heads = config.attentionHeads().get(level);
        int headDim = channels / heads;
        int inner = heads * headDim;
        boolean linear = config.useLinearProjection();
        String normed = layers.groupNorm(x, key + ".norm", config.normNumGroups(), channels, 1e-6);
        String tokens;
        String grid;
        if (linear) {
            grid = x;
            tokens = layers.linear(layers.toTokens(normed, channels), key + ".proj_in", channels, inner, true);
        } else {
            grid = layers.conv(normed, key + ".proj_in", channels, inner, 1, 1, 0);
            tokens = layers.toTokens(grid, inner);
        }
        int crossDim = config.crossAttentionDim().get(level);
        for (int b = 0; b < config.transformerLayersPerBlock().get(level); b++) {
            tokens = transformerBlock(tokens, key + ".transformer_blocks." + b, inner, heads, headDim, crossDim);
        }
        String out;
        if (linear) {
            out = layers.fromTokens(layers.linear(tokens, key + ".proj_out", inner, channels, true), x);
        } else {
            out = layers.conv(layers.fromTokens(tokens, grid), key + ".proj_out", inner, channels, 1, 1, 0);
        }
        return layers.add(x, out);
    }

    /** {@code BasicTransformerBlock}: self-attention, cross-attention on the text, GEGLU feed-forward, each pre-normed and residual. */
    private String transformerBlock(String x, String key, int dim, int heads, int headDim, int crossDim) {
        String h = layers.add(point(key + ".attn1", layers.attention(layers.layerNorm(x, key + ".norm1", dim, 1e-5),
                null, key + ".attn1", dim, dim, heads, headDim, false, null), 3), x);
        h = layers.add(point(key + ".attn2", layers.attention(layers.layerNorm(h, key + ".norm2", dim, 1e-5), context,
                key + ".attn2", dim, crossDim, heads, headDim, false, null), 3), h);
        return layers.add(point(key + ".ff", feedForward(layers.layerNorm(h, key + ".norm3", dim, 1e-5), key + ".ff",
                dim), 3), h);
    }

    /** {@code FeedForward} with GEGLU: {@code net.0.proj} to twice the inner width, {@code a * gelu(b)}, {@code net.2}. */
    private String feedForward(String x, String key, int dim) {
        int inner = dim * 4;
        String projected = layers.linear(x, key + ".net.0.proj", dim, 2L * inner, true);
        List<String> halves = g.nodes("Split", 2, List.of(projected, g.longs(inner, inner)), Attribute.of("axis", -1L));
        String gated = g.node("Mul", List.of(halves.get(0), layers.gelu(halves.get(1))));
        return layers.linear(gated, key + ".net.2", inner, dim, true);
    }

    /**
     * {@code Upsample2D}: nearest-neighbour resize to the size of the skip connection met next ({@code 2x} when the
     * latent divides evenly; diffusers' {@code forward_upsample_size} otherwise), then a 3x3 convolution.
     */
    private String upsample(String x, String key, int channels, String nextSkip) {
        String batchAndChannels = g.node("Slice", List.of(g.node("Shape", List.of(x)), g.longs(0), g.longs(2)));
        String sides = g.node("Slice", List.of(g.node("Shape", List.of(nextSkip)), g.longs(2), g.longs(4)));
        String sizes = g.node("Concat", List.of(batchAndChannels, sides), Attribute.of("axis", 0L));
        String resized = g.node("Resize", List.of(x, "", "", sizes), Attribute.of("mode", "nearest"),
                Attribute.of("coordinate_transformation_mode", "asymmetric"), Attribute.of("nearest_mode", "floor"));
        return layers.conv(resized, key + ".conv", channels, channels, 3, 1, 1);
    }
}
