package io.github.sdm.unet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** {@code y = x W^T + b} over the last dimension. Parameters {@code weight [out, in]}, {@code bias [out]}. */
public final class Linear extends Part {
    private final Parameter weight;
    private final Parameter bias;

    public Linear(String name, long inFeatures, long outFeatures, boolean withBias) {
        super(name);
        weight = parameter("weight", Parameter.Init.FAN_IN_UNIFORM, inFeatures, outFeatures, inFeatures);
        bias = withBias ? parameter("bias", Parameter.Init.FAN_IN_UNIFORM, inFeatures, outFeatures) : null;
    }

    /** Inputs: {@code x [..., in]}. Output: {@code [..., out]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        return new NDList(apply(inputs.head()));
    }

    /** The layer's function without interception. */
    public NDArray apply(NDArray x) {
        return x.getNDArrayInternal().linear(x, weight.value(), bias == null ? null : bias.value()).singletonOrThrow();
    }

    @Override
    protected boolean scopesTemporaries() {
        return false;
    }
}
