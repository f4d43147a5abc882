package io.github.sdm.unet.djl.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Intermediates;
import io.github.sdm.unet.djl.nn.Part;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** diffusers' {@code DownEncoderBlock2D}: {@code resnets.0..n-1}, then {@code downsamplers.0} unless last. */
public final class VaeDownBlock extends Part {
    private final List<VaeResnetBlock> resnets = new ArrayList<>();
    private final VaeDownsample downsampler;

    public VaeDownBlock(String name, int inChannels, int outChannels, int layers, int groups, double eps,
            boolean downsample) {
        super(name);
        for (int i = 0; i < layers; i++) {
            resnets.add(child(new VaeResnetBlock(key("resnets." + i), i == 0 ? inChannels : outChannels,
                    outChannels, groups, eps)));
        }
        downsampler = downsample ? child(new VaeDownsample(key("downsamplers.0"), outChannels)) : null;
    }

    public List<VaeResnetBlock> resnets() {
        return Collections.unmodifiableList(resnets);
    }

    /** Inputs: {@code x [B, in, H, W]}. Output: {@code [B, out, H', W']}, halved unless the last block. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.head();
        NDArray h = x;
        for (VaeResnetBlock resnet : resnets) {
            h = Intermediates.advance(ctx, x, h, resnet.forward(ctx, h));
        }
        return new NDList(downsampler != null ? downsampler.forward(ctx, h) : h);
    }
}
