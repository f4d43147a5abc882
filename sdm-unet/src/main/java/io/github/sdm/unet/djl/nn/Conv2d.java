package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * 2-D convolution over {@code [N, C, H, W]}, square kernel. Parameters {@code weight [out, in, k, k]},
 * {@code bias [out]} (none for a convolution built without bias, as PyTorch's {@code bias=False}).
 * Weights above 16 MiB run in slices of output channels ({@link WeightSlices}). The convolution computes in its
 * input's type; weights held in another (float16 or int8 storage, or float32 weights under half-precision
 * compute) are converted one slice at a time just before use and freed after it.
 *
 * <p>Open for subclasses that take a convolution's place with the same parameters (a UNet builds its
 * resnet convolutions through {@code UNetLayerFactory}): they override {@link #apply(NDArray, boolean)}.
 */
public class Conv2d extends Part {
    private final Parameter weight;
    private final Parameter bias;
    private final Shape stride;
    private final Shape padding;
    private static final Shape NO_DILATION = new Shape(1, 1);
    private WeightSlices slices;

    public Conv2d(String name, long inChannels, long outChannels, int kernel, int stride, int padding) {
        this(name, inChannels, outChannels, kernel, stride, padding, true);
    }

    public Conv2d(String name, long inChannels, long outChannels, int kernel, int stride, int padding,
            boolean withBias) {
        super(name);
        long fanIn = inChannels * kernel * kernel;
        weight = parameter("weight", Parameter.Init.FAN_IN_UNIFORM, fanIn, outChannels, inChannels, kernel, kernel)
                .perChannelWeight();
        bias = withBias ? parameter("bias", Parameter.Init.FAN_IN_UNIFORM, fanIn, outChannels) : null;
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
    }

    /** The stride, the same along both axes. */
    public final int stride() {
        return (int) stride.get(0);
    }

    /** The zero padding on each side, the same along both axes. */
    public final int padding() {
        return (int) padding.get(0);
    }

    /** Inputs: {@code x [N, in, H, W]}. Output: {@code [N, out, H', W']}. */
    @Override
    protected final NDList compute(ForwardContext ctx, NDList inputs) {
        return new NDList(apply(inputs.head(), ctx.isTraining()));
    }

    @Override
    protected final void onWeightsLoaded() {
        if (slices != null) {
            slices.close();
        }
        slices = WeightSlices.of(weight.value(), weight.scales(), biasValue());
    }

    /**
     * The layer's function without interception; the one method a subclass overrides. A training pass
     * differentiates the whole weight, not the slices derived from it.
     */
    public NDArray apply(NDArray x, boolean training) {
        return training && isHeldAs(x.getDataType()) ? convolve(x, weight.value(), biasValue()) : apply(x);
    }

    /** The inference computation without interception (large weights in slices). */
    public final NDArray apply(NDArray x) {
        if (!isHeldAs(x.getDataType())) {
            return applyConverted(x);
        }
        if (slices == null || slices.count() == 1) {
            return convolve(x, weight.value(), biasValue());
        }
        // large weights in slices of output channels, see WeightSlices
        NDList pieces = new NDList(slices.count());
        for (int i = 0; i < slices.count(); i++) {
            pieces.add(convolve(x, slices.weight(i), slices.bias(i)));
        }
        NDArray out = NDArrays.concat(pieces, 1);
        pieces.close();
        return out;
    }

    /** Whether the weights can be used as they are by a convolution in {@code type}. */
    private boolean isHeldAs(DataType type) {
        return weight.isHeldAs(type) && (bias == null || bias.isHeldAs(type));
    }

    /** Weights held in another type than {@code x}'s: each slice converted just before its op, freed after it. */
    private NDArray applyConverted(NDArray x) {
        return slices.applyConverted(x.getDataType(), (w, b) -> convolve(x, w, b));
    }

    private NDArray biasValue() {
        return bias == null ? null : bias.value();
    }

    private NDArray convolve(NDArray x, NDArray w, NDArray b) {
        return x.getNDArrayInternal().convolution(x, w, b, stride, padding, NO_DILATION, 1).singletonOrThrow();
    }

    @Override
    protected final boolean scopesTemporaries() {
        return false;
    }
}
