package io.github.sdm.samplers;

/**
 * {@code np.log} on a float32 array as numpy computes it on x86 (its AVX2/AVX512F {@code simd_log_FLOAT} kernel):
 * not correctly rounded, and diffusers' {@code _sigma_to_t} turns its last-bit differences into visibly different
 * fractional Karras timesteps. The mantissa is normalised into [sqrt(1/2), sqrt(2)), {@code log(1 + x)} is a ratio of
 * two degree-5 minimax polynomials evaluated with fused multiply-adds, and {@code exponent * ln 2} is added last.
 */
final class NumpyFloat32Log {

    private static final float SQRT1_2 = 0.707106781186547524400844362104849039f;
    private static final float LOGE2 = 0.693147180559945309417232121458176568f;
    private static final float P0 = 0.000000000000000000000e+00f;
    private static final float P1 = 9.999999999999998702752e-01f;
    private static final float P2 = 2.112677543073053063722e+00f;
    private static final float P3 = 1.480000633576506585156e+00f;
    private static final float P4 = 3.808837741388407920751e-01f;
    private static final float P5 = 2.589979117907922693523e-02f;
    private static final float Q0 = 1.000000000000000000000e+00f;
    private static final float Q1 = 2.612677543073109236779e+00f;
    private static final float Q2 = 2.453006071784736363091e+00f;
    private static final float Q3 = 9.864942958519418960339e-01f;
    private static final float Q4 = 1.546476374983906719538e-01f;
    private static final float Q5 = 5.875095403124574342950e-03f;

    private NumpyFloat32Log() {
    }

    static float log(float value) {
        if (Float.isNaN(value)) {
            return Float.NaN;
        }
        if (value < 0) {
            return Float.NaN;
        }
        if (value == 0) {
            return Float.NEGATIVE_INFINITY;
        }
        if (value == Float.POSITIVE_INFINITY) {
            return Float.POSITIVE_INFINITY;
        }
        float scaled = value;
        float exponentBias = 0f;
        if (value < Float.MIN_NORMAL) {
            // the kernel lifts subnormals by 2^100 before splitting
            scaled = value * 0x1p100f;
            exponentBias = -100f;
        }
        int bits = Float.floatToRawIntBits(scaled);
        float exponent = (float) ((bits >>> 23) - 126) + exponentBias;
        float x = Float.intBitsToFloat((bits & 0x007FFFFF) | (126 << 23)); // mantissa in [0.5, 1)
        if (x <= SQRT1_2) {
            x = x + x;
            exponent = exponent - 1f;
        }
        x = x - 1f;
        float num = Math.fma(P5, x, P4);
        num = Math.fma(num, x, P3);
        num = Math.fma(num, x, P2);
        num = Math.fma(num, x, P1);
        num = Math.fma(num, x, P0);
        float den = Math.fma(Q5, x, Q4);
        den = Math.fma(den, x, Q3);
        den = Math.fma(den, x, Q2);
        den = Math.fma(den, x, Q1);
        den = Math.fma(den, x, Q0);
        return Math.fma(exponent, LOGE2, num / den);
    }
}
