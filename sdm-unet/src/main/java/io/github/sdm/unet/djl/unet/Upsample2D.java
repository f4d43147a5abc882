package io.github.sdm.unet.djl.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.EngineScalars;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Part;

/**
 * diffusers' {@code Upsample2D} with a convolution: nearest-neighbour 2x, or to a given size, then {@code conv}
 * 3x3. The size is given (diffusers' {@code output_size}) when the latent is not divisible by the UNet's
 * total downscale: a downsampler rounds an odd side up, so doubling would miss the skip connection's size.
 */
public final class Upsample2D extends Part {
    private final Conv2d conv;

    public Upsample2D(String name, int channels) {
        super(name);
        conv = child(new Conv2d(key("conv"), channels, channels, 3, 1, 1));
    }

    /**
     * Inputs: {@code x [B, C, H, W]}, optionally an array whose last two sides are the output size (the skip
     * connection the result is joined with). Output: {@code [B, C, 2H, 2W]}, or that size.
     */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.head();
        if (inputs.size() < 2) {
            return new NDList(conv.forward(ctx, nearest2x(x)));
        }
        Shape target = inputs.get(1).getShape();
        long height = target.get(target.dimension() - 2);
        long width = target.get(target.dimension() - 1);
        return new NDList(conv.forward(ctx, nearest(x, height, width)));
    }

    /** Exact nearest 2x: every pixel repeated into a 2x2 square, by broadcasting over two new axes. */
    static NDArray nearest2x(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(b, c, h, 1, w, 1).broadcast(b, c, h, 2, w, 2).reshape(b, c, 2 * h, 2 * w);
    }

    /** PyTorch's {@code interpolate(size=(height, width), mode="nearest")}: the 2x case exactly as {@link #nearest2x}. */
    static NDArray nearest(NDArray x, long height, long width) {
        Shape s = x.getShape();
        if (height == 2 * s.get(2) && width == 2 * s.get(3)) {
            return nearest2x(x);
        }
        NDArray rows = x.get(new NDIndex(":, :, {}, :", sourceIndices(x, s.get(2), height)));
        return rows.get(new NDIndex(":, :, :, {}", sourceIndices(x, s.get(3), width)));
    }

    /** Output position {@code i} reads input {@code floor(i * in / out)}, computed in float as PyTorch does. */
    private static NDArray sourceIndices(NDArray x, long in, long out) {
        float scale = (float) in / out;
        long[] source = new long[Math.toIntExact(out)];
        for (int i = 0; i < source.length; i++) {
            source[i] = Math.min((long) Math.floor(i * scale), in - 1);
        }
        return EngineScalars.owned(x.getManager().create(source));
    }
}
