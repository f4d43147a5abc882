package io.github.sdm.unet.graph;

import java.util.List;

/**
 * The layers every network is made of, as graph nodes over a {@link GraphBuilder}: each takes its weights by the
 * checkpoint key prefix of its part (the names the DJL part tree uses) and computes what the DJL layer of the same name
 * computes, in the operators ONNX Runtime fuses and runs fastest on the CPU (the patterns PyTorch's ONNX exporter
 * writes: group norm as instance norm over the groups, GELU as {@code Erf}, attention as two {@code MatMul}s around
 * a {@code Softmax}).
 */
final class Layers {
    private static final float SQRT_2 = (float) Math.sqrt(2.0);
    private final GraphBuilder g;

    Layers(GraphBuilder g) {
        this.g = g;
    }

    GraphBuilder graph() {
        return g;
    }

    /** {@code x W^T + b} over the last axis of {@code x} (PyTorch's {@code nn.Linear}; W stored {@code [out, in]}). */
    String linear(String x, String key, long in, long out, boolean bias) {
        String w = g.layerWeight(key + ".weight", true, out, in);
        String y = g.node("MatMul", List.of(x, w));
        return bias ? g.node("Add", List.of(y, g.weight(key + ".bias", out))) : y;
    }

    /** A square 2-D convolution with bias, padded {@code padding} on every side. */
    String conv(String x, String key, long in, long out, int kernel, int stride, int padding) {
        return conv(x, key, in, out, kernel, stride, new long[] {padding, padding, padding, padding}, true);
    }

    /**
     * A square 2-D convolution.
     *
     * @param pads ONNX's order: top, left, bottom, right
     */
    String conv(String x, String key, long in, long out, int kernel, int stride, long[] pads, boolean bias) {
        String w = g.layerWeight(key + ".weight", false, out, in, kernel, kernel);
        List<String> inputs = bias ? List.of(x, w, g.weight(key + ".bias", out)) : List.of(x, w);
        return g.node("Conv", inputs, Attribute.ints("kernel_shape", kernel, kernel),
                Attribute.ints("strides", stride, stride), Attribute.ints("pads", pads));
    }

    /**
     * Group normalization of {@code [B, C, ...]} with a per-channel affine: the groups normalized as instances of
     * {@code [B, groups, rest]}, then reshaped back and scaled.
     */
    String groupNorm(String x, String key, int groups, long channels, double eps) {
        String grouped = g.node("Reshape", List.of(x, g.longs(0, groups, -1)));
        float[] ones = new float[groups];
        java.util.Arrays.fill(ones, 1f);
        String normed = g.node("InstanceNormalization",
                List.of(grouped, g.floats(ones, groups), g.floats(new float[groups], groups)),
                Attribute.of("epsilon", (float) eps));
        String back = g.node("Reshape", List.of(normed, g.node("Shape", List.of(x))));
        String scaled = g.node("Mul", List.of(back, g.weight(key + ".weight", channels, 1, 1)));
        return g.node("Add", List.of(scaled, g.weight(key + ".bias", channels, 1, 1)));
    }

    /** Layer normalization over the last axis, with affine. */
    String layerNorm(String x, String key, long dim, double eps) {
        return g.node("LayerNormalization", List.of(x, g.weight(key + ".weight", dim), g.weight(key + ".bias", dim)),
                Attribute.of("axis", -1L), Attribute.of("epsilon", (float) eps));
    }

    /** {@code x * sigmoid(x)}. */
    String silu(String x) {
        return g.node("Mul", List.of(x, g.node("Sigmoid", List.of(x))));
    }

    /** The exact GELU, {@code x / 2 * (1 + erf(x / sqrt 2))} (ONNX Runtime fuses it into one Gelu). */
    String gelu(String x) {
        String erf = g.node("Erf", List.of(g.node("Div", List.of(x, g.scalar(SQRT_2)))));
        String sum = g.node("Add", List.of(erf, g.scalar(1f)));
        return g.node("Mul", List.of(g.node("Mul", List.of(x, sum)), g.scalar(0.5f)));
    }

    /** CLIP's {@code quick_gelu}: {@code x * sigmoid(1.702 x)}. */
    String quickGelu(String x) {
        return g.node("Mul", List.of(x, g.node("Sigmoid", List.of(g.node("Mul", List.of(x, g.scalar(1.702f)))))));
    }

    /**
     * diffusers' {@code Attention} over tokens {@code [B, N, queryDim]}: {@code to_q} of {@code x}, {@code to_k} and
     * {@code to_v} of {@code context} (or of {@code x} when it is null), {@code heads} heads of {@code headDim},
     * {@code softmax(q k^T / sqrt(headDim)) v}, then {@code to_out.0}.
     *
     * @param mask an additive mask broadcast onto the scores {@code [B, heads, N, M]}, or null
     */
    String attention(String x, String context, String key, long queryDim, long contextDim, int heads, long headDim,
            boolean qkvBias, String mask) {
        return attention(x, context, key, queryDim, contextDim, heads, headDim, qkvBias, mask,
                new String[] {"to_q", "to_k", "to_v", "to_out.0"});
    }

    /** As above, with the projections' names ({@code q, k, v, out}) given, as CLIP's differ. */
    String attention(String x, String context, String key, long queryDim, long contextDim, int heads, long headDim,
            boolean qkvBias, String mask, String[] projections) {
        String source = context == null ? x : context;
        long inner = heads * headDim;
        String q = splitHeads(linear(x, key + "." + projections[0], queryDim, inner, qkvBias), heads, headDim,
                new long[] {0, 2, 1, 3});
        String kt = splitHeads(linear(source, key + "." + projections[1], contextDim, inner, qkvBias), heads, headDim,
                new long[] {0, 2, 3, 1});
        String v = splitHeads(linear(source, key + "." + projections[2], contextDim, inner, qkvBias), heads, headDim,
                new long[] {0, 2, 1, 3});
        String scores = g.node("Mul", List.of(g.node("MatMul", List.of(q, kt)),
                g.scalar((float) (1.0 / Math.sqrt(headDim)))));
        if (mask != null) {
            scores = g.node("Add", List.of(scores, mask));
        }
        String probs = g.node("Softmax", List.of(scores), Attribute.of("axis", -1L));
        String attended = g.node("Transpose", List.of(g.node("MatMul", List.of(probs, v))),
                Attribute.ints("perm", 0, 2, 1, 3));
        String merged = g.node("Reshape", List.of(attended, g.longs(0, -1, inner)));
        return linear(merged, key + "." + projections[3], inner, queryDim, true);
    }

    /** {@code [B, N, heads * d]} to {@code [B, N, heads, d]}, then permuted by {@code perm}. */
    private String splitHeads(String projected, int heads, long headDim, long[] perm) {
        String split = g.node("Reshape", List.of(projected, g.longs(0, -1, heads, headDim)));
        return g.node("Transpose", List.of(split), Attribute.ints("perm", perm));
    }

    /** {@code [B, C, H, W]} to tokens {@code [B, H*W, C]}. */
    String toTokens(String x, long channels) {
        String nhwc = g.node("Transpose", List.of(x), Attribute.ints("perm", 0, 2, 3, 1));
        return g.node("Reshape", List.of(nhwc, g.longs(0, -1, channels)));
    }

    /** Tokens {@code [B, H*W, C]} back to the shape of {@code like}, {@code [B, C, H, W]}. */
    String fromTokens(String tokens, String like) {
        String nchw = g.node("Transpose", List.of(tokens), Attribute.ints("perm", 0, 2, 1));
        return g.node("Reshape", List.of(nchw, g.node("Shape", List.of(like))));
    }

    String add(String a, String b) {
        return g.node("Add", List.of(a, b));
    }
}
