package io.github.sdm.assembly.djl.condconv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Linear;
import io.github.sdm.unet.djl.nn.Parameter;

/**
 * A multi-expert conditional convolution (ME-CondConv): {@code N} kernels mixed per sample by a router,
 * <pre>
 *   r = sigmoid(router(mean over H, W of x))         [B, N]
 *   y = conv(x, sum_i r_i W_i) + sum_i r_i b_i       one kernel per sample
 * </pre>
 * Each sample's kernel is its own mixture, so the batch runs as one grouped convolution with the batch in
 * the channels ({@code [1, B*in, H, W]}, {@code groups = B}).
 *
 * <p>Parameters: expert 0 is the convolution's own {@code <name>.weight [out, in, k, k]} and
 * {@code <name>.bias [out]} (so the part keeps a plain convolution's keys and shapes, which LoRA and the
 * profiler's FLOP count read); experts 1..N-1 are {@code <name>.experts.weight [N-1, out, in, k, k]} and
 * {@code <name>.experts.bias [N-1, out]}; the router is {@code <name>.router.weight [N, in]} and
 * {@code <name>.router.bias [N]}. The router sees the input only, not the timestep embedding: a resnet
 * adds its embedding after {@code conv1}, and the convolution's call carries the activation alone.
 */
public final class CondConv2d extends Conv2d {
    private final int experts;
    private final long outChannels;
    private final long inChannels;
    private final int kernel;
    private final Parameter expertWeights;
    private final Parameter expertBiases;
    private final Linear router;

    public CondConv2d(String name, int inChannels, int outChannels, int kernel, int padding, int experts) {
        super(name, inChannels, outChannels, kernel, 1, padding);
        if (experts < 2) {
            throw new IllegalArgumentException(name + ": a conditional convolution needs at least 2 experts, not " + experts);
        }
        this.experts = experts;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        long fanIn = (long) inChannels * kernel * kernel;
        expertWeights = parameter("experts.weight", Parameter.Init.FAN_IN_UNIFORM, fanIn,
                experts - 1, outChannels, inChannels, kernel, kernel);
        expertBiases = parameter("experts.bias", Parameter.Init.FAN_IN_UNIFORM, fanIn, experts - 1, outChannels);
        router = child(new Linear(key("router"), inChannels, experts, true));
    }

    /** The number of experts, the convolution's own kernel included. */
    public int experts() {
        return experts;
    }

    /** The router's mixing weights for {@code x [B, in, H, W]}: {@code [B, N]}, each in (0, 1). */
    public NDArray routing(NDArray x, boolean training) {
        Shape shape = x.getShape();
        NDArray flat = x.reshape(shape.get(0), shape.get(1), shape.get(2) * shape.get(3));
        NDArray pooled = flat.mean(new int[] {2});
        if (!training) {
            flat.close();
        }
        NDArray logits = router.forward(ForwardContext.DEFAULT.withTraining(training), pooled);
        NDArray r = Activation.sigmoid(logits);
        if (!training) {
            pooled.close();
            logits.close();
        }
        return r;
    }

    @Override
    public NDArray apply(NDArray x, boolean training) {
        Shape shape = x.getShape();
        if (shape.dimension() != 4 || shape.get(1) != inChannels) {
            throw new IllegalArgumentException(name() + ": expected input [B, " + inChannels + ", H, W], got " + shape);
        }
        long batch = shape.get(0);
        NDArray r = routing(x, training);
        // weights held in another type than x's (float16 or int8 storage, half-precision compute): converted copies
        Parameter[] held = {parameters().get(key("weight")), expertWeights, parameters().get(key("bias")),
            expertBiases};
        NDArray[] w = new NDArray[held.length];
        for (int i = 0; i < held.length; i++) {
            w[i] = held[i].isHeldAs(x.getDataType()) ? held[i].value() : held[i].convertedTo(x.getDataType());
        }
        NDArray kernels = mix(r, w[0], w[1], outChannels * inChannels * kernel * kernel, x.getManager(), training);
        NDArray biases = mix(r, w[2], w[3], outChannels, x.getManager(), training);
        for (int i = 0; i < held.length; i++) {
            if (w[i] != held[i].value() && !training) {
                w[i].close();
            }
        }
        NDArray grouped = x.reshape(1, batch * inChannels, shape.get(2), shape.get(3));
        NDArray kernelStack = kernels.reshape(batch * outChannels, inChannels, kernel, kernel);
        NDArray biasStack = biases.reshape(batch * outChannels);
        NDArray convolved = grouped.getNDArrayInternal().convolution(grouped, kernelStack, biasStack,
                new Shape(1, 1), new Shape(padding(), padding()), new Shape(1, 1), (int) batch).singletonOrThrow();
        NDArray out = convolved.reshape(batch, outChannels, convolved.getShape().get(2), convolved.getShape().get(3));
        if (!training) {
            // the per-sample kernels are as large as the weights times the batch: free them at once
            new NDList(r, kernels, biases, grouped, kernelStack, biasStack, convolved).close();
        }
        return out;
    }

    /**
     * {@code r[:, 0] * first + r[:, 1:] @ rest}, flattened: {@code [B, size]}. The weights' flat views are moved
     * to the activation's manager, so a call leaves nothing behind in the weights' one.
     */
    private NDArray mix(NDArray r, NDArray first, NDArray rest, long size, NDManager scope, boolean training) {
        NDArray firstFlat = first.reshape(1, size);
        firstFlat.attach(scope);
        NDArray restFlat = rest.reshape(experts - 1, size);
        restFlat.attach(scope);
        NDArray r0 = r.get(":, 0:1");
        NDArray rRest = r.get(":, 1:");
        NDArray fromFirst = r0.matMul(firstFlat);
        NDArray fromRest = rRest.matMul(restFlat);
        NDArray mixed = fromFirst.add(fromRest);
        if (!training) {
            new NDList(firstFlat, restFlat, r0, rRest, fromFirst, fromRest).close();
        }
        return mixed;
    }
}
