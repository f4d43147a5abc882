package io.github.sdm.core.model;

/**
 * A number type for weights or computation ({@link LoadOptions}): the three floating-point types, each a weight
 * (storage) type and a compute type, and {@link #INT8}, a weight type only.
 */
public enum Precision {
    /** 32-bit IEEE float: the reference precision, and the default. */
    FP32,
    /** 16-bit IEEE half float. */
    FP16,
    /** bfloat16: float32's exponent range with a 7-bit mantissa. */
    BF16,
    /**
     * Weight-only 8-bit integers: each convolution and linear weight is held as int8 values with one float32 scale
     * per output channel ({@code w = scale[o] * q}, {@code scale[o] = max|w[o]| / 127}, symmetric, no zero
     * point), dequantized just before use. Biases, norm weights and embeddings stay in float32. The DJL backend
     * quantizes at load, or reads a component folder's int8 weight file ({@code sdm quantize} writes them) as the
     * same values without converting. Never a compute type: {@link LoadOptions} refuses it as
     * {@code computePrecision}.
     */
    INT8;

    /**
     * Whether the networks can compute in this type ({@link #INT8} is a storage type only).
     *
     * @return true for {@link #FP32}, {@link #FP16} and {@link #BF16}
     */
    public boolean isComputeType() {
        return this != INT8;
    }
}
