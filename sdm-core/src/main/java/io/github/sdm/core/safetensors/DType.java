package io.github.sdm.core.safetensors;

import java.util.Locale;

/** The element types sdm reads from and writes to safetensors files, with their header names. */
public enum DType {
    F32(4), F16(2), BF16(2), I64(8), I32(4);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** Returns the dtype for a header name such as {@code "F16"}, or null if sdm does not support it. */
    static DType fromHeaderName(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
