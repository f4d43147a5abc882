package io.github.sdm.unet.djl.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Part;

/** diffusers' {@code Upsample2D} with a convolution: nearest-neighbour 2x, then {@code conv} 3x3. */
public final class Upsample2D extends Part {
    private final Conv2d conv;

    public Upsample2D(String name, int channels) {
        super(name);
        conv = child(new Conv2d(key("conv"), channels, channels, 3, 1, 1));
    }

    /** Inputs: {@code x [B, C, H, W]}. Output: {@code [B, C, 2H, 2W]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        return new NDList(conv.forward(ctx, nearest2x(inputs.head())));
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
}
