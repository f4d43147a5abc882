package io.github.sdm.unet.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.nn.ForwardContext;
import io.github.sdm.unet.nn.Part;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** diffusers' {@code UNetMidBlock2DCrossAttn} with one layer: {@code resnets.0}, {@code attentions.0}, {@code resnets.1}. */
public final class MidBlock extends Part {
    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final List<Transformer2DModel> attentions = new ArrayList<>();

    MidBlock(String name, int channels, int tembChannels, int groups, double eps, double outputScaleFactor,
            int heads, int transformerLayers, int crossAttentionDim, boolean linearProjection) {
        super(name);
        resnets.add(child(new ResnetBlock2D(key("resnets.0"), channels, channels, tembChannels, groups, eps,
                outputScaleFactor)));
        attentions.add(child(new Transformer2DModel(key("attentions.0"), channels, heads, channels / heads,
                transformerLayers, crossAttentionDim, groups, linearProjection)));
        resnets.add(child(new ResnetBlock2D(key("resnets.1"), channels, channels, tembChannels, groups, eps,
                outputScaleFactor)));
    }

    public List<ResnetBlock2D> resnets() {
        return Collections.unmodifiableList(resnets);
    }

    public List<Transformer2DModel> attentions() {
        return Collections.unmodifiableList(attentions);
    }

    /** Inputs: {@code hidden [B, C, H, W]}, {@code temb [B, T]}, {@code context [B, M, D]}. Output: {@code [B, C, H, W]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray temb = inputs.get(1);
        NDArray context = inputs.get(2);
        NDArray h = resnets.get(0).forward(ctx, inputs.get(0), temb);
        for (int i = 0; i < attentions.size(); i++) {
            h = attentions.get(i).forward(ctx, h, context);
            h = resnets.get(i + 1).forward(ctx, h, temb);
        }
        return new NDList(h);
    }
}
