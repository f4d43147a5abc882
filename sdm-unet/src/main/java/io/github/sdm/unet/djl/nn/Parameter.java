package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.github.sdm.core.model.Precision;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One weight tensor of a part: its checkpoint key, the shape the architecture expects, how to
 * initialise it randomly, the type it is stored in, and (once loaded) its value.
 *
 * <p>The value is held in its storage type ({@link #storagePrecision()}): float32, float16, or int8 codes with one
 * float32 scale per output channel ({@link #scales()}) for a {@linkplain #isPerChannelWeight() convolution or
 * linear weight}. A layer that computes in another type asks for {@link #convertedTo} just before the op and frees
 * the copy after it, so only one layer's converted weights exist at a time.
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
    private boolean perChannelWeight;
    private NDArray value;
    /** int8 values' per-output-channel scales (float32 {@code [out]}); null unless loaded quantized. */
    private NDArray scales;
    /** The file mapping the value is a view of (weights held as the file stores them), else null. */
    private ByteBuffer mapping;

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
     * The type the value is held in, whatever the checkpoint stores (loading converts): that of the current
     * value, so a LoRA merge that puts a float32 array in place of an int8 one makes the parameter float32 until
     * it is unmerged. FP32 before loading.
     */
    public Precision storagePrecision() {
        if (value == null) {
            return Precision.FP32;
        }
        DataType type = value.getDataType();
        if (type == DataType.INT8) {
            return Precision.INT8;
        }
        return type == DataType.FLOAT16 ? Precision.FP16 : Precision.FP32;
    }

    /**
     * Whether this is a convolution's or a linear layer's weight ({@code [out, in, ...]}), the parameters
     * {@link Precision#INT8} storage quantizes per output channel.
     */
    public boolean isPerChannelWeight() {
        return perChannelWeight;
    }

    /** Marks this parameter as a convolution's or linear layer's weight (see {@link #isPerChannelWeight()}). */
    Parameter perChannelWeight() {
        perChannelWeight = true;
        return this;
    }

    /**
     * Whether the value can be used as it is by a computation in {@code type} (held in that type, not as int8).
     */
    public boolean isHeldAs(DataType type) {
        return value().getDataType() == type;
    }

    /**
     * A new array: the value in {@code type} (int8 values times their channel scales), in the value's manager;
     * the caller frees it.
     */
    public NDArray convertedTo(DataType type) {
        return WeightConversion.toType(value(), value().getDataType() == DataType.INT8 ? scales : null, type);
    }

    /** The per-output-channel scales of an int8 value (float32 {@code [out]}), or null when the value is a float. */
    public NDArray scales() {
        value();
        return value.getDataType() == DataType.INT8 ? scales : null;
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
        NDArray copy = loaded.getDataType() == DataType.FLOAT32 ? loaded.duplicate() : convertedTo(DataType.FLOAT32);
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
        set(newValue, null);
    }

    /** Sets a value that is a view of {@code fileBytes}, a file mapping ({@link #evictPages()} can page it out). */
    void setMapped(NDArray view, ByteBuffer fileBytes) {
        set(view);
        mapping = fileBytes;
    }

    /**
     * Sets int8 values that are a view of {@code fileBytes}, a file mapping ({@link #evictPages()} can page them
     * out), with their per-output-channel scales (an array of its own).
     */
    void setMapped(NDArray view, NDArray viewScales, ByteBuffer fileBytes) {
        set(view, viewScales);
        mapping = fileBytes;
    }

    /**
     * Hands the resident pages of the file mapping the value views back to the page cache (see
     * {@link MappedPages#evict}); nothing for a value that is not such a view.
     */
    void evictPages() {
        if (mapping != null) {
            MappedPages.evict(mapping);
        }
    }

    /** Unmaps the file the value viewed; only once no array views it any more (the network's weights are freed). */
    void releaseMapping() {
        if (mapping != null) {
            MappedPages.release(mapping);
            mapping = null;
        }
    }

    /** Sets the value and, for int8 values, their per-output-channel scales; frees the previous ones. */
    void set(NDArray newValue, NDArray newScales) {
        if (value != null && value != newValue) {
            value.close();
        }
        if (scales != null && scales != newScales) {
            scales.close();
        }
        value = newValue;
        scales = newScales;
        mapping = null; // a previous view's mapping goes when the collector finds its buffer unreachable
    }

    @Override
    public String toString() {
        return key + Arrays.toString(shape);
    }
}
