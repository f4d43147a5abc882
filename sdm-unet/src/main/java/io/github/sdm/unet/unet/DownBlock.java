package io.github.sdm.unet.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.nn.ForwardContext;
import io.github.sdm.unet.nn.Intermediates;
import io.github.sdm.unet.nn.Part;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One level of the contracting path: diffusers' {@code CrossAttnDownBlock2D} (each resnet followed by a
 * {@link Transformer2DModel}) or {@code DownBlock2D} (resnets only), then an optional stride-2
 * downsampler. Its "layers" are the (resnet, attention) pairs; each layer and the downsampler produces one
 * skip connection for the up path.
 */
public final class DownBlock extends Part {
    private final String type;
    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final List<Transformer2DModel> attentions = new ArrayList<>();
    private final Downsample2D downsampler;

    DownBlock(String name, String type, int inChannels, int outChannels, int layers, int tembChannels,
            int groups, double eps, boolean crossAttention, int heads, int transformerLayers,
            int crossAttentionDim, boolean linearProjection, boolean addDownsample) {
        super(name);
        this.type = type;
        for (int j = 0; j < layers; j++) {
            resnets.add(child(new ResnetBlock2D(key("resnets." + j), j == 0 ? inChannels : outChannels,
                    outChannels, tembChannels, groups, eps, 1.0)));
        }
        if (crossAttention) {
            for (int j = 0; j < layers; j++) {
                attentions.add(child(new Transformer2DModel(key("attentions." + j), outChannels, heads,
                        outChannels / heads, transformerLayers, crossAttentionDim, groups, linearProjection)));
            }
        }
        downsampler = addDownsample ? child(new Downsample2D(key("downsamplers.0"), outChannels)) : null;
    }

    /** {@code CrossAttnDownBlock2D} or {@code DownBlock2D}. */
    public String type() {
        return type;
    }

    public List<ResnetBlock2D> resnets() {
        return Collections.unmodifiableList(resnets);
    }

    /** Empty for a {@code DownBlock2D}. */
    public List<Transformer2DModel> attentions() {
        return Collections.unmodifiableList(attentions);
    }

    /** Empty when this is the last (deepest) block. */
    public List<Downsample2D> downsamplers() {
        return downsampler == null ? List.of() : List.of(downsampler);
    }

    public int layerCount() {
        return resnets.size();
    }

    /** Skip connections this block produces: one per layer plus one for the downsampler. */
    public int outputCount() {
        return resnets.size() + (downsampler == null ? 0 : 1);
    }

    /** Layer {@code j}: resnet {@code j}, then attention {@code j} if this block has attentions. */
    public NDArray layer(ForwardContext ctx, int j, NDArray hidden, NDArray temb, NDArray context) {
        NDArray h = resnets.get(j).forward(ctx, hidden, temb);
        if (attentions.isEmpty()) {
            return h;
        }
        NDArray out = attentions.get(j).forward(ctx, h, context);
        if (h != hidden) {
            Intermediates.release(ctx, h, out);
        }
        return out;
    }

    public NDArray downsample(ForwardContext ctx, NDArray hidden) {
        if (downsampler == null) {
            throw new IllegalStateException(name() + " has no downsampler");
        }
        return downsampler.forward(ctx, hidden);
    }

    /**
     * Inputs: {@code hidden [B, in, H, W]}, {@code temb [B, T]}, {@code context [B, M, D]}.
     * Outputs: the {@link #outputCount()} skip connections in order; the last is the block's hidden state.
     */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray h = inputs.get(0);
        NDArray temb = inputs.get(1);
        NDArray context = inputs.get(2);
        NDList out = new NDList();
        for (int j = 0; j < resnets.size(); j++) {
            h = layer(ctx, j, h, temb, context);
            out.add(h);
        }
        if (downsampler != null) {
            out.add(downsampler.forward(ctx, h));
        }
        return out;
    }
}
