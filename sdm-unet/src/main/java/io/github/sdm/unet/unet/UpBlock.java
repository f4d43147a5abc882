package io.github.sdm.unet.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.nn.ForwardContext;
import io.github.sdm.unet.nn.Intermediates;
import io.github.sdm.unet.nn.Part;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One level of the expanding path: diffusers' {@code CrossAttnUpBlock2D} or {@code UpBlock2D}. Layer
 * {@code j} concatenates the hidden state with one skip connection on the channel axis, then runs resnet
 * {@code j} (and attention {@code j}); a nearest 2x upsampler follows except in the last block. Skips
 * are consumed last-produced first.
 */
public final class UpBlock extends Part {
    private final String type;
    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final List<Transformer2DModel> attentions = new ArrayList<>();
    private final Upsample2D upsampler;

    /**
     * @param prevOutputChannels channels of the hidden state entering the block
     * @param skipChannels channels of each skip, in consumption order
     */
    UpBlock(String name, String type, int prevOutputChannels, int outChannels, int[] skipChannels,
            int tembChannels, int groups, double eps, boolean crossAttention, int heads, int transformerLayers,
            int crossAttentionDim, boolean linearProjection, boolean addUpsample) {
        super(name);
        this.type = type;
        for (int j = 0; j < skipChannels.length; j++) {
            int in = (j == 0 ? prevOutputChannels : outChannels) + skipChannels[j];
            resnets.add(child(new ResnetBlock2D(key("resnets." + j), in, outChannels, tembChannels, groups, eps,
                    1.0)));
        }
        if (crossAttention) {
            for (int j = 0; j < skipChannels.length; j++) {
                attentions.add(child(new Transformer2DModel(key("attentions." + j), outChannels, heads,
                        outChannels / heads, transformerLayers, crossAttentionDim, groups, linearProjection)));
            }
        }
        upsampler = addUpsample ? child(new Upsample2D(key("upsamplers.0"), outChannels)) : null;
    }

    /** {@code CrossAttnUpBlock2D} or {@code UpBlock2D}. */
    public String type() {
        return type;
    }

    public List<ResnetBlock2D> resnets() {
        return Collections.unmodifiableList(resnets);
    }

    /** Empty for an {@code UpBlock2D}. */
    public List<Transformer2DModel> attentions() {
        return Collections.unmodifiableList(attentions);
    }

    /** Empty for the last block. */
    public List<Upsample2D> upsamplers() {
        return upsampler == null ? List.of() : List.of(upsampler);
    }

    /** Layers, and so skip connections consumed. */
    public int layerCount() {
        return resnets.size();
    }

    /** Layer {@code j}: {@code cat([hidden, skip], channels)}, resnet {@code j}, attention {@code j}. */
    public NDArray layer(ForwardContext ctx, int j, NDArray hidden, NDArray skip, NDArray temb, NDArray context) {
        NDArray joined = NDArrays.concat(new NDList(hidden, skip), 1);
        NDArray h = resnets.get(j).forward(ctx, joined, temb);
        Intermediates.release(ctx, joined, h);
        if (attentions.isEmpty()) {
            return h;
        }
        NDArray out = attentions.get(j).forward(ctx, h, context);
        if (h != hidden && h != skip) {
            Intermediates.release(ctx, h, out);
        }
        return out;
    }

    public NDArray upsample(ForwardContext ctx, NDArray hidden) {
        if (upsampler == null) {
            throw new IllegalStateException(name() + " has no upsampler");
        }
        return upsampler.forward(ctx, hidden);
    }

    /**
     * Inputs: {@code hidden}, {@code temb}, {@code context}, then the {@link #layerCount()} skips in
     * consumption order (the most recently produced first). Output: the block's hidden state.
     */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray h = inputs.get(0);
        NDArray temb = inputs.get(1);
        NDArray context = inputs.get(2);
        for (int j = 0; j < resnets.size(); j++) {
            h = layer(ctx, j, h, inputs.get(3 + j), temb, context);
        }
        if (upsampler != null) {
            h = upsampler.forward(ctx, h);
        }
        return new NDList(h);
    }
}
