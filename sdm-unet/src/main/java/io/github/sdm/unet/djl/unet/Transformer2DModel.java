package io.github.sdm.unet.djl.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.GroupNorm;
import io.github.sdm.unet.djl.nn.Linear;
import io.github.sdm.unet.djl.nn.Part;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * diffusers' {@code Transformer2DModel} on a feature map: group {@code norm} (eps 1e-6), {@code proj_in}
 * (a 1x1 conv before flattening, or a linear layer after it with {@code use_linear_projection}), the
 * {@code transformer_blocks} over the {@code H*W} tokens, {@code proj_out} back, plus the input.
 */
public final class Transformer2DModel extends Part {
    private final GroupNorm norm;
    private final Part projIn;
    private final List<BasicTransformerBlock> blocks = new ArrayList<>();
    private final Part projOut;
    private final boolean linearProjection;
    private final int innerDim;

    public Transformer2DModel(String name, int inChannels, int heads, int headDim, int layers,
            int crossAttentionDim, int groups, boolean linearProjection) {
        super(name);
        this.linearProjection = linearProjection;
        this.innerDim = heads * headDim;
        norm = child(new GroupNorm(key("norm"), groups, inChannels, 1e-6));
        projIn = child(linearProjection ? new Linear(key("proj_in"), inChannels, innerDim, true)
                : new Conv2d(key("proj_in"), inChannels, innerDim, 1, 1, 0));
        for (int i = 0; i < layers; i++) {
            blocks.add(child(new BasicTransformerBlock(key("transformer_blocks." + i), innerDim, heads, headDim,
                    crossAttentionDim)));
        }
        projOut = child(linearProjection ? new Linear(key("proj_out"), innerDim, inChannels, true)
                : new Conv2d(key("proj_out"), innerDim, inChannels, 1, 1, 0));
    }

    public List<BasicTransformerBlock> transformerBlocks() {
        return Collections.unmodifiableList(blocks);
    }

    /**
     * @param x {@code [B, C, H, W]}
     * @param context the text embedding {@code [B, M, D]}
     * @return {@code [B, C, H, W]}
     */
    public NDArray forward(ForwardContext ctx, NDArray x, NDArray context) {
        return forward(ctx, new NDList(x, context)).head();
    }

    /** Inputs: {@code x}, {@code context}. Output: the transformed feature map. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        return new NDList(compute(ctx, inputs.get(0), inputs.get(1)));
    }

    private NDArray compute(ForwardContext ctx, NDArray x, NDArray context) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long height = shape.get(2);
        long width = shape.get(3);
        NDArray h = norm.forward(ctx, x);
        if (!linearProjection) {
            h = projIn.forward(ctx, h);
        }
        h = h.transpose(0, 2, 3, 1).reshape(batch, height * width, h.getShape().get(1));
        if (linearProjection) {
            h = projIn.forward(ctx, h);
        }
        for (BasicTransformerBlock block : blocks) {
            h = block.forward(ctx, h, context);
        }
        if (linearProjection) {
            h = projOut.forward(ctx, h);
        }
        h = h.reshape(batch, height, width, h.getShape().get(2)).transpose(0, 3, 1, 2);
        if (!linearProjection) {
            h = projOut.forward(ctx, h);
        }
        // the contiguous input first, so the sum is laid out as NCHW (diffusers' .contiguous())
        return x.add(h);
    }
}
