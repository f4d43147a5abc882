package io.github.sdm.core.safetensors;

/**
 * The element types of the safetensors format, named as in its header. Every one can be read (so that a
 * checkpoint holding, say, a U8 tensor still opens); {@link SafetensorsFile#floats} and
 * {@link SafetensorsFile#longs} say which ones they convert.
 */
public enum DType {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1),
    I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4),
    F64(8), I64(8), U64(8);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return this == F32 || this == F16 || this == BF16 || this == F64 || this == F8_E5M2 || this == F8_E4M3;
    }

    /** The name used in safetensors headers, e.g. {@code "BF16"}. */
    public String headerName() {
        return name();
    }

    /**
     * Returns the dtype for a header name such as {@code "F16"}, or null if the name is not a safetensors
     * dtype. Names are case-sensitive, as in the reference implementation.
     */
    static DType fromHeaderName(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }
}
