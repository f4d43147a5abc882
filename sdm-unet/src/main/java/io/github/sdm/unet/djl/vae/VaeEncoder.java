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
 * diffusers' VAE {@code Encoder} (with {@code double_z}): {@code conv_in}, {@code down_blocks.N},
 * {@code mid_block}, {@code conv_norm_out}, SiLU, {@code conv_out} to {@code 2 * latent_channels}
 * (mean and log-variance, before {@code quant_conv}).
 */
public final class VaeEncoder extends Part {
    /** diffusers hard-codes this epsilon for every norm of the VAE. */
    static final double EPS = 1e-6;

    private final Conv2d convIn;
    private final List<VaeDownBlock> downBlocks = new ArrayList<>();
    private final VaeMidBlock midBlock;
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    public VaeEncoder(String name, AutoencoderKLConfig config) {
        super(name);
        List<Integer> channels = config.blockOutChannels();
        int groups = config.normNumGroups();
        convIn = child(new Conv2d(key("conv_in"), config.inChannels(), channels.get(0), 3, 1, 1));
        int out = channels.get(0);
        for (int i = 0; i < channels.size(); i++) {
            int in = out;
            out = channels.get(i);
            downBlocks.add(child(new VaeDownBlock(key("down_blocks." + i), in, out, config.layersPerBlock(), groups,
                    EPS, i < channels.size() - 1)));
        }
        int last = channels.get(channels.size() - 1);
        midBlock = child(new VaeMidBlock(key("mid_block"), last, groups, EPS, config.midBlockAddAttention()));
        convNormOut = child(new GroupNorm(key("conv_norm_out"), groups, last, EPS));
        convOut = child(new Conv2d(key("conv_out"), last, 2 * config.latentChannels(), 3, 1, 1));
    }

    public List<VaeDownBlock> downBlocks() {
        return Collections.unmodifiableList(downBlocks);
    }

    public VaeMidBlock midBlock() {
        return midBlock;
    }

    /** Inputs: {@code image [B, in_channels, H, W]}. Output: {@code [B, 2*latent, H/f, W/f]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.head();
        NDArray h = convIn.forward(ctx, x);
        for (VaeDownBlock block : downBlocks) {
            h = Intermediates.advance(ctx, x, h, block.forward(ctx, h));
        }
        h = Intermediates.advance(ctx, x, h, midBlock.forward(ctx, h));
        h = Intermediates.advance(ctx, x, h, convNormOut.forward(ctx, h));
        h = Intermediates.advance(ctx, x, h, Activations.silu(h));
        return new NDList(convOut.forward(ctx, h));
    }
}
