package io.github.sdm.unet.nn;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * One weight tensor of a part: its checkpoint key, the shape the architecture expects, how to
 * initialise it randomly, and (once loaded) its value.
 */
public final class Parameter {

    /** How a parameter is initialised when no checkpoint is loaded. */
    public enum Init {
        /** Uniform in +-1/sqrt(fanIn), as PyTorch initialises linear and conv layers. */
        FAN_IN_UNIFORM,
        ONES,
        ZEROS
    }

    private final String key;
    private final long[] shape;
    private final Init init;
    private final long fanIn;
    private NDArray value;

    Parameter(String key, long[] shape, Init init, long fanIn) {
        this.key = key;
        this.shape = shape.clone();
        this.init = init;
        this.fanIn = fanIn;
    }

    public String key() {
        return key;
    }

    public long[] shape() {
        return shape.clone();
    }

    public Init init() {
        return init;
    }

    public long fanIn() {
        return fanIn;
    }

    public boolean isLoaded() {
        return value != null;
    }

    /** The loaded value (float32, exactly {@link #shape()}). */
    public NDArray value() {
        if (value == null) {
            throw new IllegalStateException("parameter '" + key + "' has no weights loaded");
        }
        return value;
    }

    void set(NDArray newValue) {
        if (value != null && value != newValue) {
            value.close();
        }
        value = newValue;
    }

    @Override
    public String toString() {
        return key + Arrays.toString(shape);
    }
}
