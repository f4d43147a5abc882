package io.github.sdm.unet.nn;

import ai.djl.ndarray.NDArray;
import io.github.sdm.core.Precision;
import java.util.Arrays;

/**
 * One weight tensor of a part: its checkpoint key, the shape the architecture expects, how to
 * initialise it randomly, the type it is stored in, and (once loaded) its value.
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
    /** The loader converts every checkpoint dtype to FP32 today; a half-precision loader will set others. */
    private final Precision storage = Precision.FP32;
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

    /**
     * The type the value is held in, whatever the checkpoint stores (loading converts).
     */
    public Precision storagePrecision() {
        return storage;
    }

    public boolean isLoaded() {
        return value != null;
    }

    /** The loaded value (of {@link #storagePrecision()}, exactly {@link #shape()}). */
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
