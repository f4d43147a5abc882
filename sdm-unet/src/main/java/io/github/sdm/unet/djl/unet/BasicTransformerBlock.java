package io.github.sdm.unet.djl.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.djl.nn.Attention;
import io.github.sdm.unet.djl.nn.FeedForward;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Intermediates;
import io.github.sdm.unet.djl.nn.LayerNorm;
import io.github.sdm.unet.djl.nn.Part;

/**
 * diffusers' {@code BasicTransformerBlock} with layer norms: self-attention {@code attn1}, cross-attention
 * {@code attn2} over the text embedding, GEGLU feed-forward {@code ff}, each pre-normed and residual.
 */
public final class BasicTransformerBlock extends Part {
    private final LayerNorm norm1;
    private final Attention attn1;
    private final LayerNorm norm2;
    private final Attention attn2;
    private final LayerNorm norm3;
    private final FeedForward ff;

    public BasicTransformerBlock(String name, int dim, int heads, int headDim, int crossAttentionDim) {
        super(name);
        norm1 = child(new LayerNorm(key("norm1"), dim, 1e-5));
        attn1 = child(new Attention(key("attn1"), dim, dim, heads, headDim, false));
        norm2 = child(new LayerNorm(key("norm2"), dim, 1e-5));
        attn2 = child(new Attention(key("attn2"), dim, crossAttentionDim, heads, headDim, false));
        norm3 = child(new LayerNorm(key("norm3"), dim, 1e-5));
        ff = child(new FeedForward(key("ff"), dim, 4));
    }

    public Attention attn1() {
        return attn1;
    }

    public Attention attn2() {
        return attn2;
    }

    public FeedForward ff() {
        return ff;
    }

    /**
     * @param x the tokens {@code [B, N, dim]}
     * @param context the text embedding {@code [B, M, crossAttentionDim]}
     * @return {@code [B, N, dim]}
     */
    public NDArray forward(ForwardContext ctx, NDArray x, NDArray context) {
        return forward(ctx, new NDList(x, context)).head();
    }

    /** Inputs: {@code x}, {@code context}. Output: the transformed tokens. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        return new NDList(compute(ctx, inputs.get(0), inputs.get(1)));
    }

    private NDArray compute(ForwardContext ctx, NDArray x, NDArray context) {
        NDArray h = residual(ctx, x, norm1, attn1, null);
        h = Intermediates.advance(ctx, x, h, residual(ctx, h, norm2, attn2, context));
        return Intermediates.advance(ctx, x, h, residual(ctx, h, norm3, ff, null));
    }

    /** {@code part(norm(h) [, context]) + h}, freeing the intermediates as soon as they are used. */
    private static NDArray residual(ForwardContext ctx, NDArray h, LayerNorm norm, Part part, NDArray context) {
        NDArray normed = norm.forward(ctx, h);
        NDArray out = context == null ? part.forward(ctx, normed) : part.forward(ctx, normed, context);
        if (normed != h) {
            Intermediates.release(ctx, normed, out);
        }
        NDArray sum = out.add(h);
        if (out != h) {
            Intermediates.release(ctx, out, sum);
        }
        return sum;
    }
}
