package io.github.sdm.unet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * 2-D convolution over {@code [N, C, H, W]}, square kernel. Parameters {@code weight [out, in, k, k]},
 * {@code bias [out]}.
 */
public final class Conv2d extends Part {
    private final Parameter weight;
    private final Parameter bias;
    private final Shape stride;
    private final Shape padding;
    private static final Shape NO_DILATION = new Shape(1, 1);

    public Conv2d(String name, long inChannels, long outChannels, int kernel, int stride, int padding) {
        super(name);
        long fanIn = inChannels * kernel * kernel;
        weight = parameter("weight", Parameter.Init.FAN_IN_UNIFORM, fanIn, outChannels, inChannels, kernel, kernel);
        bias = parameter("bias", Parameter.Init.FAN_IN_UNIFORM, fanIn, outChannels);
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
    }

    /** Inputs: {@code x [N, in, H, W]}. Output: {@code [N, out, H', W']}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        return new NDList(apply(inputs.head()));
    }

    /** The layer's function without interception. */
    public NDArray apply(NDArray x) {
        return x.getNDArrayInternal()
                .convolution(x, weight.value(), bias.value(), stride, padding, NO_DILATION, 1)
                .singletonOrThrow();
    }

    @Override
    protected boolean scopesTemporaries() {
        return false;
    }
}
