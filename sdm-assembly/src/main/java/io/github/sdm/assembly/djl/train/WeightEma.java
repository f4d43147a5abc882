package io.github.sdm.assembly.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.unet.djl.nn.GradMode;
import io.github.sdm.unet.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exponential moving average of trained weights, {@code ema = d * ema + (1 - d) * w} after each step: the
 * weights a trained model is exported with (they are smoother than the last step's). Keys are the trained
 * networks' prefixed parameter keys ({@link TrainedNetworks}).
 */
public final class WeightEma implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> averages = new LinkedHashMap<>();

    public WeightEma(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    /** Starts the average at the current weights. */
    public void reset(Map<String, Parameter> parameters) {
        GradMode.withoutRecording(() -> parameters.forEach((key, p) -> {
            NDArray copy = p.value().duplicate();
            copy.attach(manager);
            NDArray old = averages.put(key, copy);
            if (old != null) {
                old.close();
            }
        }));
    }

    /** Moves the average towards the current weights by {@code 1 - decay}. */
    public void update(Map<String, Parameter> parameters, double decay) {
        GradMode.withoutRecording(() -> parameters.forEach((key, p) -> {
            NDArray average = averages.get(key);
            if (average == null) {
                throw new IllegalStateException("the EMA has no weight '" + key + "'; reset it first");
            }
            try (NDManager scratch = manager.newSubManager()) {
                NDArray weight = p.value().mul((float) (1 - decay));
                weight.attach(scratch);
                average.muli((float) decay).addi(weight);
            }
        }));
    }

    /** The averages by key. */
    public Map<String, NDArray> averages() {
        return averages;
    }

    /** Restores saved averages. */
    public void restore(Map<String, float[]> values, Map<String, long[]> shapes) {
        values.forEach((key, v) -> {
            NDArray old = averages.put(key, manager.create(v, new Shape(shapes.get(key))));
            if (old != null) {
                old.close();
            }
        });
    }

    @Override
    public void close() {
        manager.close();
    }
}
