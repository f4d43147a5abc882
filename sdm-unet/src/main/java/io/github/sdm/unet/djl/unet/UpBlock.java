package io.github.sdm.unet.djl.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Intermediates;
import io.github.sdm.unet.djl.nn.Part;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One level of the expanding path, built from an {@link UpBlockSpec}: diffusers' {@code CrossAttnUpBlock2D}
 * or {@code UpBlock2D}. Layer {@code j} concatenates the hidden state with one skip connection on the
 * channel axis, then runs resnet {@code j} (and attention {@code j}); a nearest 2x upsampler follows
 * except in the last block. Skips are consumed last-produced first.
 */
public final class UpBlock extends Part {
    private final String type;
    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final List<Transformer2DModel> attentions = new ArrayList<>();
    private final Upsample2D upsampler;

    public UpBlock(String name, UpBlockSpec spec, UNetLayerFactory layers) {
        super(name);
        this.type = spec.type();
        int out = spec.outChannels();
        List<Integer> skips = spec.skipChannels();
        for (int j = 0; j < skips.size(); j++) {
            int in = (j == 0 ? spec.prevOutputChannels() : out) + skips.get(j);
            resnets.add(child(new ResnetBlock2D(key("resnets." + j), in, out, spec.resnet(), layers)));
        }
        if (spec.attention() != null) {
            for (int j = 0; j < skips.size(); j++) {
                attentions.add(child(spec.attention().build(key("attentions." + j), out)));
            }
        }
        upsampler = spec.addUpsample() ? child(new Upsample2D(key("upsamplers.0"), out)) : null;
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

    /**
     * The whole block, through the interceptor under its name.
     *
     * @param hidden the hidden state entering the block
     * @param skips the {@link #layerCount()} skip connections in consumption order (most recently produced first)
     * @return the block's hidden state
     */
    public NDArray forward(ForwardContext ctx, NDArray hidden, List<NDArray> skips, NDArray temb, NDArray context) {
        return forward(ctx, hidden, skips, temb, context, null);
    }

    /**
     * The whole block, its upsampler resizing to {@code upsampleSize}'s last two sides (diffusers'
     * {@code upsample_size}) instead of doubling, when that is not null.
     */
    public NDArray forward(ForwardContext ctx, NDArray hidden, List<NDArray> skips, NDArray temb, NDArray context,
            NDArray upsampleSize) {
        if (skips.size() != resnets.size()) {
            throw new IllegalArgumentException(name() + " consumes " + resnets.size() + " skip connections, got "
                    + skips.size());
        }
        NDList inputs = new NDList(hidden, temb, context);
        inputs.addAll(skips);
        if (upsampleSize != null && upsampler != null) {
            inputs.add(upsampleSize);
        }
        return forward(ctx, inputs).head();
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
        return upsample(ctx, hidden, null);
    }

    /** The upsampler: to {@code size}'s last two sides, or 2x when {@code size} is null. */
    public NDArray upsample(ForwardContext ctx, NDArray hidden, NDArray size) {
        if (upsampler == null) {
            throw new IllegalStateException(name() + " has no upsampler");
        }
        return size == null ? upsampler.forward(ctx, hidden) : upsampler.forward(ctx, hidden, size);
    }

    /**
     * Inputs: {@code hidden}, {@code temb}, {@code context}, then the {@link #layerCount()} skips in
     * consumption order, then optionally the array whose size the upsampler resizes to. Output: the block's
     * hidden state.
     */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray h = inputs.get(0);
        for (int j = 0; j < resnets.size(); j++) {
            h = layer(ctx, j, h, inputs.get(3 + j), inputs.get(1), inputs.get(2));
        }
        if (upsampler != null) {
            int sizeAt = 3 + resnets.size();
            h = upsample(ctx, h, inputs.size() > sizeAt ? inputs.get(sizeAt) : null);
        }
        return new NDList(h);
    }
}
