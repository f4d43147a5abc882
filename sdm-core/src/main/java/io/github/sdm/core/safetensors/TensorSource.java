package io.github.sdm.core.safetensors;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A tensor to write: its spec and where its values come from. A supplier is called only when the writer
 * reaches the tensor, so a whole model can be written while holding one tensor at a time.
 */
public final class TensorSource {
    private final TensorSpec spec;
    private final Supplier<float[]> floats;
    private final Supplier<long[]> longs;

    private TensorSource(TensorSpec spec, Supplier<float[]> floats, Supplier<long[]> longs) {
        this.spec = spec;
        this.floats = floats;
        this.longs = longs;
    }

    /** Float values stored as {@code dtype} (F32, F16, BF16 or F64), converted with round-to-nearest-even. */
    public static TensorSource ofFloats(String name, DType dtype, Supplier<float[]> values, long... shape) {
        return new TensorSource(new TensorSpec(name, dtype, shape), Objects.requireNonNull(values, "values"), null);
    }

    public static TensorSource ofFloats(String name, DType dtype, float[] values, long... shape) {
        Objects.requireNonNull(values, "values");
        return ofFloats(name, dtype, () -> values, shape);
    }

    /** Integer values stored as {@code dtype} (I64, I32, I16, I8, U32, U16, U8 or BOOL), range-checked. */
    public static TensorSource ofLongs(String name, DType dtype, Supplier<long[]> values, long... shape) {
        return new TensorSource(new TensorSpec(name, dtype, shape), null, Objects.requireNonNull(values, "values"));
    }

    /** An I64 tensor. */
    public static TensorSource ofLongs(String name, long[] values, long... shape) {
        Objects.requireNonNull(values, "values");
        return ofLongs(name, DType.I64, () -> values, shape);
    }

    public TensorSpec spec() {
        return spec;
    }

    void writeTo(SafetensorsWriter writer) {
        if (floats != null) {
            writer.writeFloats(spec.name(), floats.get());
        } else {
            writer.writeLongs(spec.name(), longs.get());
        }
    }
}
