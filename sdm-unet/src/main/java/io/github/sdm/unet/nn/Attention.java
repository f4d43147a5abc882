package io.github.sdm.unet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Multi-head scaled dot-product attention as diffusers' {@code Attention}: projections {@code to_q},
 * {@code to_k}, {@code to_v} (bias optional) and {@code to_out.0} (with bias), scale
 * {@code 1/sqrt(head_dim)}, softmax over keys. Self-attention when given one input, cross-attention
 * over the second input otherwise. {@code upcast_attention} needs nothing here: everything is float32.
 *
 * <p>Heads are folded into the batch ({@code [B*h, N, d]}) so the engine runs two batched matrix
 * products ({@link AttentionCore}, in chunks that bound the score map); a slice size in the context sets
 * the number of batch-head rows per chunk.
 */
public final class Attention extends Part {
    private final int heads;
    private final long headDim;
    private final float scale;
    private final Linear toQ;
    private final Linear toK;
    private final Linear toV;
    private final Linear toOut;

    /**
     * @param contextDim the width of the second input for cross-attention; equal to {@code queryDim}
     *     for self-attention
     */
    public Attention(String name, long queryDim, long contextDim, int heads, long headDim, boolean qkvBias) {
        super(name);
        this.heads = heads;
        this.headDim = headDim;
        this.scale = (float) (1.0 / Math.sqrt(headDim));
        long inner = heads * headDim;
        toQ = child(new Linear(key("to_q"), queryDim, inner, qkvBias));
        toK = child(new Linear(key("to_k"), contextDim, inner, qkvBias));
        toV = child(new Linear(key("to_v"), contextDim, inner, qkvBias));
        toOut = child(new Linear(key("to_out.0"), inner, queryDim, true));
    }

    public int heads() {
        return heads;
    }

    public long headDim() {
        return headDim;
    }

    /** Inputs: {@code x [B, N, queryDim]} and optionally {@code context [B, M, contextDim]}. Output: {@code [B, N, queryDim]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.get(0);
        NDArray context = inputs.size() > 1 ? inputs.get(1) : x;
        NDArray q = toQ.forward(ctx, x);
        NDArray k = toK.forward(ctx, context);
        NDArray v = toV.forward(ctx, context);
        long batch = x.getShape().get(0);
        long n = x.getShape().get(1);
        NDArray qh = toHeads(q).mul(scale);
        NDArray kt = toHeads(k).transpose(0, 2, 1);
        NDArray vh = toHeads(v);
        NDArray attended = AttentionCore.attend(qh, kt, vh, ctx.attentionSliceSize());
        NDArray merged = attended.reshape(batch, heads, n, headDim).transpose(0, 2, 1, 3)
                .reshape(batch, n, heads * headDim);
        return new NDList(toOut.forward(ctx, merged));
    }

    /** {@code [B, L, h*d] -> [B*h, L, d]}. */
    private NDArray toHeads(NDArray t) {
        long batch = t.getShape().get(0);
        long len = t.getShape().get(1);
        return t.reshape(batch, len, heads, headDim).transpose(0, 2, 1, 3).reshape(batch * heads, len, headDim);
    }
}
