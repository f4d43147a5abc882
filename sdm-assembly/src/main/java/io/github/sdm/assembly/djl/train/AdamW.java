package io.github.sdm.assembly.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter; PyTorch's {@code torch.optim.AdamW}): Adam moments with bias correction and
 * weight decay applied to the weight directly, {@code w -= lr * (m_hat / (sqrt(v_hat) + eps) + decay * w)}.
 * Written here rather than taken from DJL, whose {@code Adam} couples the decay into the gradient and keeps its
 * moments where no checkpoint can reach them; here they are named by parameter key and saved with the weights.
 *
 * <p>Call {@link #beginStep} once per optimizer step, then {@link #update} for each parameter.
 */
public final class AdamW implements AutoCloseable {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long stepCount;
    private double learningRate;
    private double gradientScale = 1;

    public AdamW(double beta1, double beta2, double epsilon, double weightDecay, NDManager parent) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.manager = parent.newSubManager();
    }

    /** Starts optimizer step {@link #stepCount()} + 1 with this learning rate and gradient factor (clipping). */
    public void beginStep(double stepLearningRate, double stepGradientScale) {
        stepCount++;
        learningRate = stepLearningRate;
        gradientScale = stepGradientScale;
    }

    /** Optimizer steps taken (Adam's {@code t}, which the bias corrections use). */
    public long stepCount() {
        return stepCount;
    }

    /** Updates {@code weight} in place; {@code key} names its moments (unique over every network trained). */
    public void update(String key, NDArray weight, NDArray gradient) {
        if (stepCount == 0) {
            throw new IllegalStateException("call beginStep before update");
        }
        NDArray m = firstMoments.computeIfAbsent(key, k -> zerosLike(weight));
        NDArray v = secondMoments.computeIfAbsent(key, k -> zerosLike(weight));
        try (NDManager scratch = manager.newSubManager()) {
            NDArray g = gradient.duplicate();
            g.attach(scratch);
            if (gradientScale != 1) {
                g.muli((float) gradientScale);
            }
            m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
            v.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
            double correction1 = 1 - Math.pow(beta1, stepCount);
            double correction2 = 1 - Math.pow(beta2, stepCount);
            NDArray denominator = v.div((float) correction2);
            denominator.attach(scratch);
            NDArray root = denominator.sqrt().addi((float) epsilon);
            NDArray change = m.div(root);
            change.attach(scratch);
            change.muli((float) (learningRate / correction1));
            if (weightDecay != 0) {
                weight.muli((float) (1 - learningRate * weightDecay));
            }
            weight.subi(change);
        }
    }

    /** The moments by name ({@code m/<key>}, {@code v/<key>}), for a checkpoint. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        firstMoments.forEach((k, a) -> state.put("m/" + k, a));
        secondMoments.forEach((k, a) -> state.put("v/" + k, a));
        return state;
    }

    /** Restores what {@link #state()} gave, and the step count. */
    public void restore(long steps, Map<String, float[]> state, Map<String, long[]> shapes) {
        stepCount = steps;
        state.forEach((name, values) -> {
            NDArray array = manager.create(values, new ai.djl.ndarray.types.Shape(shapes.get(name)));
            if (name.startsWith("m/")) {
                put(firstMoments, name.substring(2), array);
            } else if (name.startsWith("v/")) {
                put(secondMoments, name.substring(2), array);
            } else {
                throw new IllegalArgumentException("optimizer state '" + name + "' is neither m/<key> nor v/<key>");
            }
        });
    }

    private static void put(Map<String, NDArray> moments, String key, NDArray array) {
        NDArray old = moments.put(key, array);
        if (old != null) {
            old.close();
        }
    }

    private NDArray zerosLike(NDArray weight) {
        return manager.zeros(weight.getShape(), weight.getDataType());
    }

    @Override
    public void close() {
        manager.close();
    }
}
