package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * {@code y = x W^T + b} over the last dimension. Parameters {@code weight [out, in]}, {@code bias [out]}.
 *
 * <p>From {@link #CONVOLUTION_MIN_ROWS} rows on, the product runs as a 1x1 convolution over the input's
 * memory viewed as a channels-last image {@code [1, in, rows, 1]} (no copy): the engine then uses its
 * oneDNN kernels, about twice as fast on CPU as the BLAS behind its linear op (measured on AMD Zen with two
 * threads; with one thread the engine itself falls back to BLAS). Same products, other summation order:
 * results differ only by float rounding. Weights above 16 MiB run in slices of output features
 * ({@link WeightSlices}). The product computes in its input's type; weights held in another (float16 or int8
 * storage, or float32 weights under half-precision compute) are converted one slice at a time just before use and
 * freed after it.
 */
public final class Linear extends Part {
    /** Fewer rows than this run as a plain product, whose call overhead is smaller. */
    static final long CONVOLUTION_MIN_ROWS = 128;
    private static final Shape UNIT = new Shape(1, 1);
    private static final Shape NO_PADDING = new Shape(0, 0);

    private final long inFeatures;
    private final long outFeatures;
    private final Parameter weight;
    private final Parameter bias;
    private NDArray kernel;
    private WeightSlices kernels;

    public Linear(String name, long inFeatures, long outFeatures, boolean withBias) {
        super(name);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        weight = parameter("weight", Parameter.Init.FAN_IN_UNIFORM, inFeatures, outFeatures, inFeatures)
                .perChannelWeight();
        bias = withBias ? parameter("bias", Parameter.Init.FAN_IN_UNIFORM, inFeatures, outFeatures) : null;
    }

    @Override
    protected void onWeightsLoaded() {
        if (kernels != null) {
            kernels.close();
            kernel.close();
        }
        // views of the weight, in the weight's manager, so no call allocates them
        kernel = weight.value().reshape(outFeatures, inFeatures, 1, 1);
        kernels = WeightSlices.of(kernel, weight.scales(), bias == null ? null : bias.value());
    }

    /** Inputs: {@code x [..., in]}. Output: {@code [..., out]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.head();
        // a training pass differentiates the weight itself, not the kernel views derived from it
        return new NDList(ctx.isTraining() && isHeldAs(x.getDataType()) ? product(x) : apply(x));
    }

    /** The layer's function without interception. */
    public NDArray apply(NDArray x) {
        Shape shape = x.getShape();
        long rows = shape.dimension() == 0 ? 0 : shape.size() / shape.get(shape.dimension() - 1);
        boolean held = isHeldAs(x.getDataType());
        if (rows < CONVOLUTION_MIN_ROWS || kernels == null || shape.get(shape.dimension() - 1) != inFeatures) {
            return held ? product(x) : convertedProduct(x);
        }
        // views only; the handles are closed at once since this layer has no scope of its own
        NDArray rowsView = x.reshape(1, rows, 1, inFeatures);
        NDArray image = rowsView.transpose(0, 3, 1, 2);
        rowsView.close();
        NDArray convolved = held ? convolve(image) : convolveConverted(image);
        image.close();
        NDArray channelsLast = convolved.transpose(0, 2, 3, 1);
        convolved.close();
        long[] outShape = shape.getShape().clone();
        outShape[outShape.length - 1] = outFeatures;
        NDArray out = channelsLast.reshape(outShape);
        channelsLast.close();
        return out;
    }

    /** The engine's linear op on the weight itself. */
    private NDArray product(NDArray x) {
        NDArray b = bias == null ? null : bias.value();
        return x.getNDArrayInternal().linear(x, weight.value(), b).singletonOrThrow();
    }

    /** Whether the weights can be used as they are by a product in {@code type}. */
    private boolean isHeldAs(DataType type) {
        return weight.isHeldAs(type) && (bias == null || bias.isHeldAs(type));
    }

    /** The engine's linear op on the weights converted to {@code x}'s type, freed after it. */
    private NDArray convertedProduct(NDArray x) {
        NDArray w = weight.convertedTo(x.getDataType());
        NDArray b = bias == null ? null : bias.convertedTo(x.getDataType());
        try {
            return x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
        } finally {
            WeightConversion.close(w, b);
        }
    }

    /** The 1x1 convolution with each slice converted to {@code image}'s type just before its op, freed after it. */
    private NDArray convolveConverted(NDArray image) {
        return kernels.applyConverted(image.getDataType(), (w, b) -> convolve(image, w, b));
    }

    /** The 1x1 convolution, in slices of output channels if the weight is large (see WeightSlices). */
    private NDArray convolve(NDArray image) {
        if (kernels.count() == 1) {
            return convolve(image, kernels.weight(0), kernels.bias(0));
        }
        NDList pieces = new NDList(kernels.count());
        for (int i = 0; i < kernels.count(); i++) {
            pieces.add(convolve(image, kernels.weight(i), kernels.bias(i)));
        }
        NDArray out = NDArrays.concat(pieces, 1);
        pieces.close();
        return out;
    }

    private static NDArray convolve(NDArray image, NDArray kernel, NDArray b) {
        return image.getNDArrayInternal().convolution(image, kernel, b, UNIT, NO_PADDING, UNIT, 1).singletonOrThrow();
    }

    @Override
    protected boolean scopesTemporaries() {
        return false;
    }
}
