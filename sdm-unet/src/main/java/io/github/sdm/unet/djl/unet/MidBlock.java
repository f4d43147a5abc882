package io.github.sdm.unet.djl.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Part;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * diffusers' {@code UNetMidBlock2DCrossAttn} with one layer: {@code resnets.0}, {@code attentions.0},
 * {@code resnets.1}. Optional in a UNet ({@code "mid_block_type": null}, as in BK-SDM students).
 */
public final class MidBlock extends Part {
    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final List<Transformer2DModel> attentions = new ArrayList<>();

    public MidBlock(String name, MidBlockSpec spec, UNetLayerFactory layers) {
        super(name);
        int channels = spec.channels();
        resnets.add(child(new ResnetBlock2D(key("resnets.0"), channels, channels, spec.resnet(), layers)));
        attentions.add(child(spec.attention().build(key("attentions.0"), channels)));
        resnets.add(child(new ResnetBlock2D(key("resnets.1"), channels, channels, spec.resnet(), layers)));
    }

    public List<ResnetBlock2D> resnets() {
        return Collections.unmodifiableList(resnets);
    }

    public List<Transformer2DModel> attentions() {
        return Collections.unmodifiableList(attentions);
    }

    /**
     * @param hidden {@code [B, C, H, W]}
     * @param temb the time embedding {@code [B, T]}
     * @param context the text embedding {@code [B, M, D]}
     * @return {@code [B, C, H, W]}
     */
    public NDArray forward(ForwardContext ctx, NDArray hidden, NDArray temb, NDArray context) {
        return forward(ctx, new NDList(hidden, temb, context)).head();
    }

    /** Inputs: {@code hidden}, {@code temb}, {@code context}. Output: the block's hidden state. */
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
