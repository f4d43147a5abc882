package io.github.sdm.core.safetensors;

import io.github.sdm.core.error.ModelFormatException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** Conversions from stored element types to the float32 and int64 values computation uses. */
final class Dtypes {
    private Dtypes() {
    }

    static float[] toFloats(TensorInfo info, ByteBuffer bytes, Path path) {
        int n = Math.toIntExact(info.elementCount());
        float[] out = new float[n];
        switch (info.dtype()) {
            case F32 -> bytes.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Half.toFloat(bytes.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = BFloat16.toFloat(bytes.getShort(2 * i));
                }
            }
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) bytes.getDouble(8 * i);
                }
            }
            case F8_E5M2 -> {
                // E5M2 is float16 with its low mantissa byte dropped.
                for (int i = 0; i < n; i++) {
                    out[i] = Half.toFloat((short) (bytes.get(i) << 8));
                }
            }
            case F8_E4M3 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = e4m3ToFloat(bytes.get(i));
                }
            }
            default -> throw new ModelFormatException(path + ": tensor '" + info.name() + "' has dtype "
                    + info.dtype() + ", expected a floating-point tensor (F32, F16, BF16, F64, F8_E5M2, F8_E4M3)");
        }
        return out;
    }

    static long[] toLongs(TensorInfo info, ByteBuffer bytes, Path path) {
        int n = Math.toIntExact(info.elementCount());
        long[] out = new long[n];
        switch (info.dtype()) {
            case I64 -> bytes.asLongBuffer().get(out);
            case I32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bytes.getInt(4 * i);
                }
            }
            case U32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bytes.getInt(4 * i) & 0xffffffffL;
                }
            }
            case I16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bytes.getShort(2 * i);
                }
            }
            case U16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bytes.getShort(2 * i) & 0xffff;
                }
            }
            case I8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bytes.get(i);
                }
            }
            case U8, BOOL -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bytes.get(i) & 0xff;
                }
            }
            case U64 -> {
                for (int i = 0; i < n; i++) {
                    long v = bytes.getLong(8 * i);
                    if (v < 0) {
                        throw new ModelFormatException(path + ": tensor '" + info.name() + "' element " + i
                                + " = " + Long.toUnsignedString(v) + " does not fit a signed 64-bit integer");
                    }
                    out[i] = v;
                }
            }
            default -> throw new ModelFormatException(path + ": tensor '" + info.name() + "' has dtype "
                    + info.dtype() + ", expected an integer or boolean tensor");
        }
        return out;
    }

    /** OCP float8 E4M3FN: bias 7, no infinities, S.1111.111 is NaN. */
    static float e4m3ToFloat(byte b) {
        int sign = b & 0x80;
        int exponent = (b >>> 3) & 0xf;
        int mantissa = b & 0x7;
        float magnitude;
        if (exponent == 0xf && mantissa == 0x7) {
            magnitude = Float.NaN;
        } else if (exponent == 0) {
            magnitude = mantissa * 0x1p-9f;
        } else {
            magnitude = Math.scalb(1 + mantissa / 8f, exponent - 7);
        }
        return sign != 0 ? -magnitude : magnitude;
    }
}
