package io.github.sdm.unet.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.platform.Fp16Conversions;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.tensor.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;

/**
 * Tensors across the boundary between sdm's {@link FloatTensor}s and a graph's inputs and outputs, in the element
 * type the graph declares: latents and embeddings as float or half (an fp16 export is fed and read at that boundary,
 * so everything outside the graph stays float), token ids as int32 or int64, the timestep as whatever the UNet takes.
 */
final class OnnxValues {
    private OnnxValues() {
    }

    /**
     * {@code values} as the float or half-precision tensor {@code input} takes.
     *
     * @param where the graph and input, for messages
     * @throws ModelFormatException if the input takes another element type
     */
    static OnnxTensor floats(OrtEnvironment env, FloatTensor values, TensorInfo input, String where) {
        long[] shape = longs(values.shape());
        try {
            return switch (input.type) {
                case FLOAT -> OnnxTensor.createTensor(env, FloatBuffer.wrap(values.data()), shape);
                case FLOAT16 -> OnnxTensor.createTensor(env,
                        Fp16Conversions.convertFloatBufferToFp16Buffer(FloatBuffer.wrap(values.data())), shape,
                        OnnxJavaType.FLOAT16);
                default -> throw new ModelFormatException(where + " is " + input.type + "; float or float16 expected");
            };
        } catch (OrtException e) {
            throw new SdmException("cannot make the tensor for " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Padded token ids as the int32 (diffusers' conversion script) or int64 (optimum) tensor {@code input} takes.
     *
     * @param where the graph and input, for messages
     * @throws ModelFormatException if the input takes another element type
     */
    static OnnxTensor ids(OrtEnvironment env, long[][] ids, TensorInfo input, String where) {
        int batch = ids.length;
        int length = ids[0].length;
        long[] shape = {batch, length};
        try {
            switch (input.type) {
                case INT64 -> {
                    long[] flat = new long[batch * length];
                    for (int b = 0; b < batch; b++) {
                        System.arraycopy(ids[b], 0, flat, b * length, length);
                    }
                    return OnnxTensor.createTensor(env, LongBuffer.wrap(flat), shape);
                }
                case INT32 -> {
                    int[] flat = new int[batch * length];
                    for (int b = 0; b < batch; b++) {
                        for (int i = 0; i < length; i++) {
                            flat[b * length + i] = Math.toIntExact(ids[b][i]);
                        }
                    }
                    return OnnxTensor.createTensor(env, IntBuffer.wrap(flat), shape);
                }
                default -> throw new ModelFormatException(where + " is " + input.type + "; int32 or int64 token ids "
                        + "expected");
            }
        } catch (OrtException e) {
            throw new SdmException("cannot make the tensor for " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * The timestep as {@code input} takes it: a scalar, or one entry per batch entry; float, half, double or an
     * integer type. An integer input (optimum's export) is usually declared float at load ({@link TimestepWidening});
     * one that could not be gets the timestep cast as diffusers' {@code OnnxStableDiffusionPipeline} casts it
     * ({@code np.array([t], dtype=int64)}: the fraction dropped), so a sampler with fractional timesteps (Euler's with
     * {@code linspace} spacing, Karras sigmas) conditions such a UNet on the whole timestep below, there as here.
     *
     * @param where the graph and input, for messages
     * @throws ModelFormatException if the input takes another element type or has more than one dimension
     */
    static OnnxTensor timestep(OrtEnvironment env, double timestep, int batch, TensorInfo input, String where) {
        long[] shape = switch (input.getShape().length) {
            case 0 -> new long[0];
            case 1 -> new long[] {batch};
            default -> throw new ModelFormatException(where + " has shape " + Arrays.toString(input.getShape())
                    + "; a scalar or [batch] expected");
        };
        int count = shape.length == 0 ? 1 : batch;
        try {
            switch (input.type) {
                case FLOAT -> {
                    float[] t = new float[count];
                    Arrays.fill(t, (float) timestep);
                    return OnnxTensor.createTensor(env, FloatBuffer.wrap(t), shape);
                }
                case FLOAT16 -> {
                    short[] t = new short[count];
                    Arrays.fill(t, Fp16Conversions.floatToFp16((float) timestep));
                    return OnnxTensor.createTensor(env, ShortBuffer.wrap(t), shape, OnnxJavaType.FLOAT16);
                }
                case DOUBLE -> {
                    double[] t = new double[count];
                    Arrays.fill(t, timestep);
                    return OnnxTensor.createTensor(env, java.nio.DoubleBuffer.wrap(t), shape);
                }
                case INT64, INT32 -> {
                    long whole = (long) timestep; // toward zero, as numpy's cast in diffusers
                    if (input.type == OnnxJavaType.INT32) {
                        int[] t = new int[count];
                        Arrays.fill(t, Math.toIntExact(whole));
                        return OnnxTensor.createTensor(env, IntBuffer.wrap(t), shape);
                    }
                    long[] t = new long[count];
                    Arrays.fill(t, whole);
                    return OnnxTensor.createTensor(env, LongBuffer.wrap(t), shape);
                }
                default -> throw new ModelFormatException(where + " is " + input.type + "; a float or integer "
                        + "timestep expected");
            }
        } catch (OrtException e) {
            throw new SdmException("cannot make the tensor for " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * A float or half-precision output as floats.
     *
     * @param where the graph and output, for messages
     * @throws ModelFormatException if the output has another element type
     */
    static FloatTensor toFloats(OnnxTensor tensor, String where) {
        TensorInfo info = tensor.getInfo();
        float[] data = switch (info.type) {
            case FLOAT -> copy(tensor.getFloatBuffer());
            case FLOAT16 -> copy(Fp16Conversions.convertFp16BufferToFloatBuffer(halfs(tensor)));
            default -> throw new ModelFormatException(where + " is " + info.type + "; float or float16 expected");
        };
        long[] shape = info.getShape();
        int[] dims = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = Math.toIntExact(shape[i]);
        }
        return new FloatTensor(data, dims);
    }

    private static ShortBuffer halfs(OnnxTensor tensor) {
        ByteBuffer bytes = tensor.getByteBuffer().order(ByteOrder.nativeOrder());
        return bytes.asShortBuffer();
    }

    private static float[] copy(FloatBuffer buffer) {
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static long[] longs(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
        }
        return out;
    }
}
