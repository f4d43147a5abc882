package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.github.sdm.core.model.Precision;
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

    /**
     * Whether the value is a trainable copy, whose gradient the engine collects
     * ({@code value().getGradient()}); see {@link Network#makeTrainable()}.
     */
    public boolean isTrainable() {
        return value != null && value.hasGradient();
    }

    /** The loaded value (of {@link #storagePrecision()}, exactly {@link #shape()}; float32 once trainable). */
    public NDArray value() {
        if (value == null) {
            throw new IllegalStateException("parameter '" + key + "' has no weights loaded");
        }
        return value;
    }

    /**
     * Replaces a loaded value by an owned float32 copy that collects gradients: a loaded value may be a
     * read-only view of a mapped file, which no optimizer may write. Call with gradient recording off.
     */
    void makeTrainable() {
        NDArray loaded = value();
        if (loaded.hasGradient()) {
            return;
        }
        NDArray copy = loaded.getDataType() == DataType.FLOAT32 ? loaded.duplicate()
                : loaded.toType(DataType.FLOAT32, true);
        copy.setRequiresGradient(true);
        set(copy);
    }

    /** Puts {@code newValue} in place and hands the previous value (not closed) back to the caller. */
    NDArray replace(NDArray newValue) {
        NDArray previous = value;
        value = newValue;
        return previous;
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
