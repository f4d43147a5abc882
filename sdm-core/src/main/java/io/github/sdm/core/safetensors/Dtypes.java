package io.github.sdm.core.safetensors;

import io.github.sdm.core.ModelFormatException;
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
                    out[i] = Float.intBitsToFloat((bytes.getShort(2 * i) & 0xffff) << 16);
                }
            }
            default -> throw new ModelFormatException(path + ": tensor '" + info.name() + "' has dtype "
                    + info.dtype() + ", expected a floating-point tensor");
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
            default -> throw new ModelFormatException(path + ": tensor '" + info.name() + "' has dtype "
                    + info.dtype() + ", expected an integer tensor");
        }
        return out;
    }
}
