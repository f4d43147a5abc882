package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** {@code torch.nn.LayerNorm} over the last dimension, with affine. Parameters {@code weight, bias [dim]}. */
public final class LayerNorm extends Part {
    private final long dim;
    private final double eps;
    private final Parameter weight;
    private final Parameter bias;
    private final Shape normalizedShape;

    public LayerNorm(String name, long dim, double eps) {
        super(name);
        this.dim = dim;
        this.eps = eps;
        this.normalizedShape = new Shape(dim);
        weight = parameter("weight", Parameter.Init.ONES, 0, dim);
        bias = parameter("bias", Parameter.Init.ZEROS, 0, dim);
    }

    /** Inputs: {@code x [..., dim]}. Output: same shape. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.head();
        if (x.getShape().get(x.getShape().dimension() - 1) != dim) {
            throw new InputShapeException(name() + ": expected last dimension " + dim + ", got " + x.getShape());
        }
        if (weight.isHeldAs(x.getDataType()) && bias.isHeldAs(x.getDataType())) {
            return new NDList(JniUtils.layerNorm((PtNDArray) x, normalizedShape, (PtNDArray) weight.value(),
                    (PtNDArray) bias.value(), eps));
        }
        // the engine's op takes its affine in the input's type: converted for this call, freed after it
        try (NDArray w = weight.convertedTo(x.getDataType()); NDArray b = bias.convertedTo(x.getDataType())) {
            return new NDList(JniUtils.layerNorm((PtNDArray) x, normalizedShape, (PtNDArray) w, (PtNDArray) b, eps));
        }
    }

    @Override
    protected boolean scopesTemporaries() {
        return false;
    }
}
