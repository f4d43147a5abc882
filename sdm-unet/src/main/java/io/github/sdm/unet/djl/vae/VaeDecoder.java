package io.github.sdm.unet.djl.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.djl.nn.Activations;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.GroupNorm;
import io.github.sdm.unet.djl.nn.Intermediates;
import io.github.sdm.unet.djl.nn.Part;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * diffusers' VAE {@code Decoder}: {@code conv_in}, {@code mid_block}, {@code up_blocks.N} (channels in reverse
 * order, {@code layers_per_block + 1} resnets each), {@code conv_norm_out}, SiLU, {@code conv_out}.
 */
public final class VaeDecoder extends Part {
    private final Conv2d convIn;
    private final VaeMidBlock midBlock;
    private final List<VaeUpBlock> upBlocks = new ArrayList<>();
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    public VaeDecoder(String name, AutoencoderKLConfig config) {
        super(name);
        List<Integer> channels = config.blockOutChannels();
        int groups = config.normNumGroups();
        double eps = VaeEncoder.EPS;
        int deepest = channels.get(channels.size() - 1);
        convIn = child(new Conv2d(key("conv_in"), config.latentChannels(), deepest, 3, 1, 1));
        midBlock = child(new VaeMidBlock(key("mid_block"), deepest, groups, eps, config.midBlockAddAttention()));
        int out = deepest;
        for (int i = 0; i < channels.size(); i++) {
            int in = out;
            out = channels.get(channels.size() - 1 - i);
            upBlocks.add(child(new VaeUpBlock(key("up_blocks." + i), in, out, config.layersPerBlock() + 1, groups,
                    eps, i < channels.size() - 1)));
        }
        convNormOut = child(new GroupNorm(key("conv_norm_out"), groups, channels.get(0), eps));
        convOut = child(new Conv2d(key("conv_out"), channels.get(0), config.outChannels(), 3, 1, 1));
    }

    public VaeMidBlock midBlock() {
        return midBlock;
    }

    public List<VaeUpBlock> upBlocks() {
        return Collections.unmodifiableList(upBlocks);
    }

    /** Inputs: {@code z [B, latent, h, w]} (after {@code post_quant_conv}). Output: {@code [B, out, h*f, w*f]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.head();
        NDArray h = convIn.forward(ctx, x);
        h = Intermediates.advance(ctx, x, h, midBlock.forward(ctx, h));
        for (VaeUpBlock block : upBlocks) {
            h = Intermediates.advance(ctx, x, h, block.forward(ctx, h));
        }
        h = Intermediates.advance(ctx, x, h, convNormOut.forward(ctx, h));
        h = Intermediates.advance(ctx, x, h, Activations.silu(h));
        return new NDList(convOut.forward(ctx, h));
    }
}
