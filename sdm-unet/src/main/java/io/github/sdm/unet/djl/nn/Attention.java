package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * Multi-head scaled dot-product attention as diffusers' {@code Attention}: projections {@code to_q},
 * {@code to_k}, {@code to_v} (bias optional) and {@code to_out.0} (with bias), scale
 * {@code 1/sqrt(head_dim)}, softmax over keys. Self-attention when given one input, cross-attention
 * over the second input otherwise. Under half-precision compute, a context whose
 * {@linkplain ForwardContext#attentionPrecision() attention precision} is float32 (diffusers' {@code upcast_attention})
 * computes the scores, the softmax and the weighted sum in float32 and hands the result on in the compute type.
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
        long batch = x.getShape().get(0);
        long n = x.getShape().get(1);
        NDArray qh = heads(ctx, inputs, toQ.forward(ctx, x), true);
        NDArray kh = heads(ctx, inputs, toK.forward(ctx, context), false);
        NDArray vh = heads(ctx, inputs, toV.forward(ctx, context), false);
        NDArray kt = kh.transpose(0, 2, 1);
        DataType scoreType = ForwardContext.dataType(ctx.attentionPrecision());
        NDArray attended = qh.getDataType() == scoreType
                ? AttentionCore.attend(qh, kt, vh, ctx.attentionSliceSize())
                : attendIn(scoreType, qh, kt, vh, ctx.attentionSliceSize());
        for (NDArray used : new NDArray[] {qh, kt, kh, vh}) {
            used.close();
        }
        NDArray merged = permuteCopy(attended, new long[] {batch, heads, n, headDim}, new int[] {0, 2, 1, 3},
                new long[] {batch, n, heads * headDim});
        attended.close();
        return new NDList(toOut.forward(ctx, merged));
    }

    /** The attention core in {@code type} (an fp32 island), its result back in the type of {@code q}. */
    private static NDArray attendIn(DataType type, NDArray q, NDArray kt, NDArray v, int sliceSize) {
        NDArray qs = q.toType(type, false);
        NDArray kts = kt.toType(type, false);
        NDArray vs = v.toType(type, false);
        NDArray attended = AttentionCore.attend(qs, kts, vs, sliceSize);
        for (NDArray used : new NDArray[] {qs, kts, vs}) {
            used.close();
        }
        NDArray out = attended.toType(q.getDataType(), false);
        attended.close();
        return out;
    }

    /**
     * A projection {@code [B, L, h*d]} as heads {@code [B*h, L, d]} (a new array), scaled if asked; the
     * projection itself is freed unless an interceptor kept it or it is one of this part's inputs.
     */
    private NDArray heads(ForwardContext ctx, NDList inputs, NDArray projected, boolean scaled) {
        long batch = projected.getShape().get(0);
        long len = projected.getShape().get(1);
        NDArray split = permuteCopy(projected, new long[] {batch, len, heads, headDim}, new int[] {0, 2, 1, 3},
                new long[] {batch * heads, len, headDim});
        NDArray out = split;
        if (scaled) {
            out = EngineScalars.times(split, scale);
            split.close();
        }
        if (inputs.stream().noneMatch(input -> input == projected)) {
            Intermediates.release(ctx, projected, out);
        }
        return out;
    }

    /**
     * {@code t.reshape(view).transpose(axes).reshape(shape)}, closing the intermediate views at once so
     * that closing {@code t} (or the result) frees its memory.
     */
    private static NDArray permuteCopy(NDArray t, long[] view, int[] axes, long[] shape) {
        NDArray viewed = t.reshape(view);
        NDArray permuted = viewed.transpose(axes);
        NDArray out = permuted.reshape(shape);
        viewed.close();
        permuted.close();
        return out;
    }
}
