package io.github.sdm.unet.graph;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.safetensors.BFloat16;
import io.github.sdm.core.safetensors.Half;
import io.github.sdm.core.safetensors.TensorInfo;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A weight of a built graph that stays in its checkpoint: the graph declares it as an initializer without data, and
 * the engine supplies the tensor's bytes from the memory-mapped file when it opens the graph (ONNX Runtime's
 * external initializers), so no copy of the weights is written anywhere.
 *
 * @param name the initializer's name in the graph (the checkpoint key)
 * @param source the checkpoint
 * @param key the tensor's key in {@code source}
 * @param dims the shape the graph uses; same element count as the stored tensor, which may be shaped otherwise (a
 *     group norm's {@code [C]} weight is used as {@code [C, 1, 1]})
 */
public record GraphWeight(String name, WeightSource source, String key, long[] dims) {
    public GraphWeight {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** The stored tensor's type and shape. */
    public TensorInfo info() {
        return source.info(key);
    }

    /** The stored tensor's raw little-endian bytes, in its stored type (mapped from the file where it can be). */
    public ByteBuffer bytes() {
        return source.bytes(key);
    }

    /**
     * The tensor as float32 values in native memory, laid out as {@link #dims()}: a float32 tensor's own mapped bytes
     * (no copy), a float16 or bfloat16 one widened into a new direct buffer (as the DJL backend holds fp32 weights).
     *
     * @throws ModelFormatException if the tensor is stored in another type
     */
    public ByteBuffer float32Bytes() {
        TensorInfo info = info();
        ByteBuffer stored = bytes().order(ByteOrder.LITTLE_ENDIAN);
        switch (info.dtype()) {
            case F32 -> {
                // the engine reads native order: little-endian machines take the file's bytes as they are
                return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? stored : widen(stored, info);
            }
            case F16, BF16 -> {
                return widen(stored, info);
            }
            default -> throw new ModelFormatException(source.description() + ": tensor '" + key + "' is "
                    + info.dtype() + "; the built graphs read F32, F16 or BF16 weights");
        }
    }

    private static ByteBuffer widen(ByteBuffer stored, TensorInfo info) {
        int count = Math.toIntExact(info.elementCount());
        ByteBuffer out = ByteBuffer.allocateDirect(count * Float.BYTES).order(ByteOrder.nativeOrder());
        FloatBuffer floats = out.asFloatBuffer();
        for (int i = 0; i < count; i++) {
            floats.put(switch (info.dtype()) {
                case F16 -> Half.toFloat(stored.getShort(stored.position() + 2 * i));
                case BF16 -> BFloat16.toFloat(stored.getShort(stored.position() + 2 * i));
                default -> stored.getFloat(stored.position() + 4 * i);
            });
        }
        return out;
    }
}
