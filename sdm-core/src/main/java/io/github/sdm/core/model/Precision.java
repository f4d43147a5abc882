package io.github.sdm.core.model;

/** A floating-point type for weights or computation ({@link LoadOptions}). */
public enum Precision {
    /** 32-bit IEEE float: the reference precision, and the default. */
    FP32,
    /** 16-bit IEEE half float. */
    FP16,
    /** bfloat16: float32's exponent range with a 7-bit mantissa. */
    BF16
}
