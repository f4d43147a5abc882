package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * {@code torch.nn.GroupNorm} over {@code [N, C, H, W]} with per-channel affine. DJL has no group norm:
 * the input is viewed as {@code [N, G, C/G*H*W]}, normalised by the engine's fused layer norm over the
 * last dimension (biased variance, as PyTorch), then scaled and shifted per channel.
 * Parameters {@code weight [C]}, {@code bias [C]}.
 */
public final class GroupNorm extends Part {
    private final int groups;
    private final long channels;
    private final double eps;
    private final Parameter weight;
    private final Parameter bias;
    private final NormConstants constants = new NormConstants();
    private NDArray scale4d;
    private NDArray shift4d;

    public GroupNorm(String name, int groups, long channels, double eps) {
        super(name);
        if (groups <= 0 || channels % groups != 0) {
            throw new IllegalArgumentException(name + ": " + channels + " channels cannot be split into "
                    + groups + " groups");
        }
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        weight = parameter("weight", Parameter.Init.ONES, 0, channels);
        bias = parameter("bias", Parameter.Init.ZEROS, 0, channels);
    }

    @Override
    protected void onWeightsLoaded() {
        if (scale4d != null) {
            scale4d.close();
            shift4d.close();
        }
        scale4d = weight.value().reshape(channels, 1, 1);
        shift4d = bias.value().reshape(channels, 1, 1);
    }

    /** Inputs: {@code x [N, C, H, W]}. Output: same shape. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.head();
        Shape shape = x.getShape();
        if (shape.dimension() != 4 || shape.get(1) != channels) {
            throw new InputShapeException(name() + ": expected [N, " + channels + ", H, W], got " + shape);
        }
        long groupSize = shape.size() / (shape.get(0) * groups);
        NDArray[] identity = constants.identityAffine(weight.value().getManager(), groupSize, x.getDataType());
        NDArray grouped = x.reshape(shape.get(0), groups, groupSize);
        NDArray normed = JniUtils.layerNorm((PtNDArray) grouped, new Shape(groupSize),
                (PtNDArray) identity[0], (PtNDArray) identity[1], eps);
        NDArray out = normed.reshape(shape);
        normed.close();
        grouped.close();
        if (ctx.isTraining()) {
            return new NDList(affine(ctx, out));
        }
        // the affine in place: the normalised array is this part's own temporary (and keeps its type; weights
        // held in another type take part in their own, as PyTorch promotes, then round to it)
        out.muli(scale4d);
        out.addi(shift4d);
        return new NDList(out);
    }

    /** The affine of a training pass: new arrays, and views of the weights made in the pass itself. */
    private NDArray affine(ForwardContext ctx, NDArray normalized) {
        NDArray scale = weight.value().reshape(channels, 1, 1);
        NDArray shift = bias.value().reshape(channels, 1, 1);
        scale.attach(ctx.manager());
        shift.attach(ctx.manager());
        NDArray scaled = normalized.mul(scale);
        return scaled.add(shift);
    }
}
