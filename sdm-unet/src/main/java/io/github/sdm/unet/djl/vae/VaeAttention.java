package io.github.sdm.unet.djl.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.unet.djl.nn.AttentionCore;
import io.github.sdm.unet.djl.nn.EngineScalars;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.GroupNorm;
import io.github.sdm.unet.djl.nn.Linear;
import io.github.sdm.unet.djl.nn.Part;

/**
 * The VAE mid block's attention (diffusers' {@code Attention} with {@code heads=1, dim_head=C},
 * {@code norm_num_groups}, {@code residual_connection=True}, rescale 1): {@code group_norm}, then
 * single-head self-attention over the {@code H*W} positions with biased {@code to_q}, {@code to_k},
 * {@code to_v}, {@code to_out.0}, scale {@code 1/sqrt(C)}, plus the input.
 *
 * <p>The score map is {@code [B, H*W, H*W]}: 64 MiB per image at SD's 64x64 latent (512x512 pixels),
 * computed in chunks by {@link AttentionCore}.
 */
public final class VaeAttention extends Part {
    private final GroupNorm groupNorm;
    private final Linear toQ;
    private final Linear toK;
    private final Linear toV;
    private final Linear toOut;
    private final float scale;

    public VaeAttention(String name, int channels, int groups, double eps) {
        super(name);
        scale = (float) (1.0 / Math.sqrt(channels));
        groupNorm = child(new GroupNorm(key("group_norm"), groups, channels, eps));
        toQ = child(new Linear(key("to_q"), channels, channels, true));
        toK = child(new Linear(key("to_k"), channels, channels, true));
        toV = child(new Linear(key("to_v"), channels, channels, true));
        toOut = child(new Linear(key("to_out.0"), channels, channels, true));
    }

    /** Inputs: {@code x [B, C, H, W]}. Output: same shape. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.head();
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long channels = shape.get(1);
        long positions = shape.get(2) * shape.get(3);
        NDArray tokens = groupNorm.forward(ctx, x).reshape(batch, channels, positions).transpose(0, 2, 1);
        NDArray q = EngineScalars.times(toQ.forward(ctx, tokens), scale);
        NDArray kt = toK.forward(ctx, tokens).transpose(0, 2, 1);
        NDArray v = toV.forward(ctx, tokens);
        NDArray attended = AttentionCore.attend(q, kt, v, ctx.attentionSliceSize());
        NDArray out = toOut.forward(ctx, attended).transpose(0, 2, 1).reshape(shape);
        return new NDList(out.add(x));
    }
}
