package io.github.sdm.bench.djl;

import ai.djl.ndarray.types.Shape;
import io.github.sdm.bench.perf.Flops;
import io.github.sdm.unet.djl.nn.Attention;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.GroupNorm;
import io.github.sdm.unet.djl.nn.LayerNorm;
import io.github.sdm.unet.djl.nn.Linear;
import io.github.sdm.unet.djl.nn.Parameter;
import io.github.sdm.unet.djl.nn.Part;
import java.util.List;

/**
 * The floating-point operations of one call of a part, from its weights and the shapes of its inputs and
 * outputs. Only a part's own work is counted: an {@link Attention}'s projections are its {@link Linear}
 * children and counted there, so summing over every part of a tree counts each operation once.
 *
 * <ul>
 *   <li>{@link Conv2d}: {@code 2 * Cout * (Cin/groups) * k * k * B * Hout * Wout} (the weight holds
 *       {@code Cin/groups}).
 *   <li>{@link Linear}: {@code 2 * in * out * rows}, rows being every input position.
 *   <li>{@link Attention} (its core, {@code softmax(Q K^T) V}): {@code 2 * 2 * B * h * N * M * d} for the
 *       two products, plus {@value #SOFTMAX_PER_SCORE} element-wise operations per score for the softmax
 *       (max, subtract, exp, sum, divide).
 *   <li>{@link GroupNorm}, {@link LayerNorm}: {@value #NORM_PER_ELEMENT} element-wise operations per element
 *       (mean 1, centring 1, variance 2, normalising 1, affine 2).
 * </ul>
 * Biases, activations, residual additions, concatenations and layout changes are not counted: each is
 * a handful of operations per activation element, far below the products above.
 */
public final class FlopCount {
    static final int SOFTMAX_PER_SCORE = 5;
    static final int NORM_PER_ELEMENT = 7;

    private FlopCount() {
    }

    /** The part's own operations for one call with these input and output shapes. */
    public static Flops of(Part part, List<Shape> inputs, List<Shape> outputs) {
        if (part instanceof Conv2d) {
            long[] w = weightShape(part);
            Shape out = outputs.get(0);
            return Flops.matmul(2 * w[0] * w[1] * w[2] * w[3] * out.get(0) * out.get(2) * out.get(3));
        }
        if (part instanceof Linear) {
            long[] w = weightShape(part);
            long rows = inputs.get(0).size() / w[1];
            return Flops.matmul(2 * w[0] * w[1] * rows);
        }
        if (part instanceof Attention attention) {
            Shape x = inputs.get(0);
            Shape context = inputs.size() > 1 ? inputs.get(1) : x;
            long scores = x.get(0) * attention.heads() * x.get(1) * context.get(1);
            return new Flops(2 * 2 * scores * attention.headDim(), SOFTMAX_PER_SCORE * scores);
        }
        if (part instanceof GroupNorm || part instanceof LayerNorm) {
            return Flops.elementwise(NORM_PER_ELEMENT * inputs.get(0).size());
        }
        return Flops.ZERO;
    }

    private static long[] weightShape(Part part) {
        Parameter weight = part.parameters().get(part.name().isEmpty() ? "weight" : part.name() + ".weight");
        if (weight == null) {
            throw new IllegalStateException(part + " has no weight parameter");
        }
        return weight.shape();
    }
}
