package io.github.sdm.unet.djl.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.djl.nn.EngineScalars;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Linear;
import io.github.sdm.unet.djl.nn.Part;

/**
 * Hugging Face {@code CLIPAttention}: multi-head self-attention with biased projections {@code q_proj},
 * {@code k_proj}, {@code v_proj}, {@code out_proj}, queries scaled by {@code 1/sqrt(head_dim)} before the
 * product, and an additive attention mask (the causal mask of the text transformer).
 */
public final class CLIPAttention extends Part {
    private final int heads;
    private final long headDim;
    private final float scale;
    private final Linear qProj;
    private final Linear kProj;
    private final Linear vProj;
    private final Linear outProj;

    public CLIPAttention(String name, int hidden, int heads) {
        super(name);
        this.heads = heads;
        this.headDim = hidden / heads;
        this.scale = (float) (1.0 / Math.sqrt(headDim));
        qProj = child(new Linear(key("q_proj"), hidden, hidden, true));
        kProj = child(new Linear(key("k_proj"), hidden, hidden, true));
        vProj = child(new Linear(key("v_proj"), hidden, hidden, true));
        outProj = child(new Linear(key("out_proj"), hidden, hidden, true));
    }

    /**
     * Inputs: {@code x [B, L, hidden]}, {@code mask [L, L]} (added to the scores: 0 where attending is
     * allowed, a large negative number where not). Output: {@code [B, L, hidden]}.
     */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        NDArray q = toHeads(EngineScalars.times(qProj.forward(ctx, x), scale));
        NDArray kt = toHeads(kProj.forward(ctx, x)).transpose(0, 2, 1);
        NDArray v = toHeads(vProj.forward(ctx, x));
        NDArray probs = q.matMul(kt).add(mask).softmax(-1);
        NDArray merged = probs.matMul(v).reshape(batch, heads, length, headDim).transpose(0, 2, 1, 3)
                .reshape(batch, length, heads * headDim);
        return new NDList(outProj.forward(ctx, merged));
    }

    /** {@code [B, L, h*d] -> [B*h, L, d]}. */
    private NDArray toHeads(NDArray t) {
        long batch = t.getShape().get(0);
        long length = t.getShape().get(1);
        return t.reshape(batch, length, heads, headDim).transpose(0, 2, 1, 3).reshape(batch * heads, length, headDim);
    }
}
