package io.github.sdm.core.safetensors;

import io.github.sdm.core.error.SdmException;
import java.util.Arrays;
import java.util.Objects;

/** The name, dtype and shape of a tensor to be written; the writer chooses its byte range. */
public record TensorSpec(String name, DType dtype, long... shape) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        for (long d : shape) {
            if (d < 0) {
                throw new SdmException("Tensor '" + name + "': negative dimension in shape " + Arrays.toString(shape));
            }
        }
        byteLength(name, dtype, shape);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public long byteLength() {
        return byteLength(name, dtype, shape);
    }

    private static long byteLength(String name, DType dtype, long[] shape) {
        try {
            long n = dtype.byteSize();
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        } catch (ArithmeticException e) {
            throw new SdmException("Tensor '" + name + "': shape " + Arrays.toString(shape) + " is too large");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + dtype.hashCode()) * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
