package io.github.sdm.unet.djl.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Intermediates;
import io.github.sdm.unet.djl.nn.Part;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One level of the contracting path, built from a {@link DownBlockSpec}: diffusers' {@code CrossAttnDownBlock2D}
 * (each resnet followed by a {@link Transformer2DModel}) or {@code DownBlock2D} (resnets only), then an
 * optional stride-2 downsampler. Its "layers" are the (resnet, attention) pairs; each layer and the
 * downsampler produces one skip connection for the up path.
 */
public final class DownBlock extends Part {
    private final String type;
    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final List<Transformer2DModel> attentions = new ArrayList<>();
    private final Downsample2D downsampler;

    public DownBlock(String name, DownBlockSpec spec, UNetLayerFactory layers) {
        super(name);
        this.type = spec.type();
        int out = spec.outChannels();
        for (int j = 0; j < spec.layers(); j++) {
            resnets.add(child(new ResnetBlock2D(key("resnets." + j), j == 0 ? spec.inChannels() : out, out,
                    spec.resnet(), layers)));
        }
        if (spec.attention() != null) {
            for (int j = 0; j < spec.layers(); j++) {
                attentions.add(child(spec.attention().build(key("attentions." + j), out)));
            }
        }
        downsampler = spec.addDownsample() ? child(new Downsample2D(key("downsamplers.0"), out)) : null;
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

    /**
     * The whole block, through the interceptor under its name.
     *
     * @param hidden {@code [B, in, H, W]}
     * @param temb the time embedding {@code [B, T]}
     * @param context the text embedding {@code [B, M, D]}
     */
    public DownBlockOutput forward(ForwardContext ctx, NDArray hidden, NDArray temb, NDArray context) {
        return DownBlockOutput.of(forward(ctx, new NDList(hidden, temb, context)));
    }

    /**
     * Output {@code j} of the block without the block's own interception (its parts are intercepted): layer
     * {@code j} for {@code j < layerCount()}, else the downsampler.
     */
    public NDArray output(ForwardContext ctx, int j, NDArray hidden, NDArray temb, NDArray context) {
        return j < resnets.size() ? layer(ctx, j, hidden, temb, context) : downsample(ctx, hidden);
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
     * Inputs: {@code hidden}, {@code temb}, {@code context}. Outputs: the {@link #outputCount()} skip
     * connections in order; the last is the block's hidden state.
     */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray h = inputs.get(0);
        NDList out = new NDList();
        for (int j = 0; j < outputCount(); j++) {
            h = output(ctx, j, h, inputs.get(1), inputs.get(2));
            out.add(h);
        }
        return out;
    }
}
