package io.github.sdm.unet.graph;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.safetensors.BFloat16;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.Half;
import io.github.sdm.core.safetensors.TensorInfo;
import io.github.sdm.unet.lora.LoraLayer;
import io.github.sdm.unet.lora.WeightedLayer;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A weight of a built graph that stays in its checkpoint: the graph declares it as an initializer without data, and
 * the engine supplies the tensor's bytes when it opens the graph (ONNX Runtime's external initializers), so no copy of
 * the weights is written anywhere.
 *
 * <p>How it is held ({@link #storage()}): float32 ({@link Precision#FP32}), the checkpoint's own mapped bytes where the
 * file stores float32 and no LoRA is merged; or, for a linear or convolution weight ({@link #layer()}) under a reduced
 * weight precision, float16 or bfloat16 values (the graph casts them to float32 where they are used) or int8 values
 * with one float32 scale per output channel, {@code scale[o] = max|w[o]| / 127} (the djl backend's quantization; the
 * graph dequantizes them with {@code DequantizeLinear}). A linear weight held so is stored transposed,
 * {@code [in, out]}, as the graph's {@code MatMul} reads it, so no transposition runs per call. LoRA adapters
 * ({@link #lora()}) are merged into the float32 values first: {@code W + sum of factor * up @ down}.
 *
 * @param name the initializer's name in the graph (the checkpoint key)
 * @param source the checkpoint
 * @param key the tensor's key in {@code source}
 * @param dims the shape the graph uses; same element count as the stored tensor, which may be shaped otherwise (a
 *     group norm's {@code [C]} weight is used as {@code [C, 1, 1]})
 * @param layer whether it is a linear ({@code [out, in]}) or convolution ({@code [out, in, k, k]}) weight: what LoRA
 *     adapts and what a reduced weight precision applies to
 * @param storage the type it is held in: FP32 for every weight that is not a layer's
 * @param transposed whether it is held as {@code [in, out]} (a linear weight in a reduced precision)
 * @param lora the adapters' layers merged into it, each with its multiplier
 */
public record GraphWeight(String name, WeightSource source, String key, long[] dims, boolean layer, Precision storage,
        boolean transposed, List<WeightedLayer> lora) {
    /** The int8 symmetric range: -128 is left out. */
    private static final float INT8_LEVELS = 127f;
    /** The suffix of an int8 weight's per-channel scales' initializer. */
    public static final String SCALE_SUFFIX = "_scale";

    /** One initializer the weight is declared as: its name, element type and shape. */
    public record Initializer(String name, ElementType type, long[] dims) {
        public Initializer {
            dims = dims.clone();
        }

        @Override
        public long[] dims() {
            return dims.clone();
        }
    }

    public GraphWeight {
        dims = dims.clone();
        lora = List.copyOf(lora);
        if (storage != Precision.FP32 && !layer || transposed && dims.length != 2) {
            throw new IllegalArgumentException(key + ": only linear and convolution weights are held in " + storage
                    + ", only linear weights transposed");
        }
    }

    /** A float32 weight as the checkpoint holds it. */
    static GraphWeight float32(WeightSource source, String key, long[] dims, boolean layer) {
        return new GraphWeight(key, source, key, dims, layer, Precision.FP32, false, List.of());
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** The same weight with {@code adapters} merged into it. */
    public GraphWeight withLora(List<WeightedLayer> adapters) {
        return new GraphWeight(name, source, key, dims, layer, storage, transposed, adapters);
    }

    /** The stored tensor's type and shape. */
    public TensorInfo info() {
        return source.info(key);
    }

    /** The stored tensor's raw little-endian bytes, in its stored type (mapped from the file where it can be). */
    public ByteBuffer bytes() {
        return source.bytes(key);
    }

    /** The initializers the graph declares for this weight: the values, and an int8 weight's scales. */
    public List<Initializer> initializers() {
        long[] stored = transposed ? new long[] {dims[1], dims[0]} : dims;
        return switch (storage) {
            case FP32 -> List.of(new Initializer(name, ElementType.FLOAT, stored));
            case FP16 -> List.of(new Initializer(name, ElementType.FLOAT16, stored));
            case BF16 -> List.of(new Initializer(name, ElementType.BFLOAT16, stored));
            case INT8 -> List.of(new Initializer(name, ElementType.INT8, stored),
                    new Initializer(name + SCALE_SUFFIX, ElementType.FLOAT, new long[] {dims[0]}));
        };
    }

    /**
     * The contents of {@link #initializers()}, by name, in native byte order: for an unadapted float32 weight the
     * checkpoint's own mapped bytes where the file holds float32 (no copy), else new direct buffers.
     *
     * @throws ModelFormatException if the checkpoint stores the tensor in a type other than F32, F16 or BF16
     */
    public Map<String, ByteBuffer> contents() {
        if (storage == Precision.FP32 && lora.isEmpty()) {
            return Map.of(name, float32Bytes());
        }
        float[] values = values();
        Map<String, ByteBuffer> out = new LinkedHashMap<>();
        switch (storage) {
            case FP32 -> out.put(name, floats(values));
            case FP16, BF16 -> {
                ByteBuffer halves = direct(values.length * 2);
                for (int i = 0; i < values.length; i++) {
                    float v = values[sourceOf(i)];
                    halves.putShort(2 * i, storage == Precision.FP16 ? Half.fromFloat(v) : BFloat16.fromFloat(v));
                }
                out.put(name, halves);
            }
            case INT8 -> {
                int channels = (int) dims[0];
                int perChannel = values.length / channels;
                float[] scales = new float[channels];
                for (int o = 0; o < channels; o++) {
                    float peak = 0;
                    for (int j = 0; j < perChannel; j++) {
                        peak = Math.max(peak, Math.abs(values[o * perChannel + j]));
                    }
                    // an all-zero channel quantizes to zeros with any scale; 1 avoids dividing by zero
                    scales[o] = peak == 0 ? 1f : peak / INT8_LEVELS;
                }
                ByteBuffer q = direct(values.length);
                for (int i = 0; i < values.length; i++) {
                    int at = sourceOf(i);
                    float scaled = values[at] / scales[at / perChannel];
                    q.put(i, (byte) Math.max(-INT8_LEVELS, Math.min(INT8_LEVELS, Math.rint(scaled))));
                }
                out.put(name, q);
                out.put(name + SCALE_SUFFIX, floats(scales));
            }
        }
        return out;
    }

    /** The position in {@code [out, ...]} order that stored position {@code i} holds ({@code [in, out]} if transposed). */
    private int sourceOf(int i) {
        if (!transposed) {
            return i;
        }
        int out = (int) dims[0];
        return (i % out) * (int) dims[1] + i / out;
    }

    /**
     * The tensor as float32 values in native memory, laid out as {@link #dims()}: a float32 tensor's own mapped bytes
     * (no copy), a float16 or bfloat16 one widened into a new direct buffer (as the DJL backend holds fp32 weights).
     * LoRA adapters are not merged here (see {@link #contents()}).
     *
     * @throws ModelFormatException if the tensor is stored in another type
     */
    public ByteBuffer float32Bytes() {
        TensorInfo info = info();
        if (info.dtype() == DType.F32 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            // the engine reads native order: little-endian machines take the file's bytes as they are
            return bytes().order(ByteOrder.LITTLE_ENDIAN);
        }
        return floats(storedValues());
    }

    /** The checkpoint's values widened to float32, with the LoRA adapters merged. */
    private float[] values() {
        float[] values = storedValues();
        for (WeightedLayer adapter : lora) {
            merge(values, adapter);
        }
        return values;
    }

    /** {@code w += factor * up @ down}, the update reshaped to the weight ({@code [out, in * k * k]}). */
    private void merge(float[] w, WeightedLayer adapter) {
        LoraLayer l = adapter.layer();
        int rank = l.rank();
        int out = (int) l.outFeatures();
        int cols = l.down().length / rank;
        if ((long) out * cols != w.length) {
            throw new ModelFormatException(source.description() + ": LoRA layer of '" + l.part() + "' updates "
                    + out + " x " + cols + " values, the weight '" + key + "' has " + w.length);
        }
        float factor = adapter.factor();
        float[] row = new float[cols];
        for (int o = 0; o < out; o++) {
            Arrays.fill(row, 0f);
            for (int r = 0; r < rank; r++) {
                float u = l.up()[o * rank + r];
                int base = r * cols;
                for (int j = 0; j < cols; j++) {
                    row[j] += u * l.down()[base + j];
                }
            }
            for (int j = 0; j < cols; j++) {
                w[o * cols + j] += row[j] * factor;
            }
        }
    }

    private float[] storedValues() {
        TensorInfo info = info();
        ByteBuffer stored = bytes().order(ByteOrder.LITTLE_ENDIAN);
        int count = Math.toIntExact(info.elementCount());
        float[] out = new float[count];
        int base = stored.position();
        switch (info.dtype()) {
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = stored.getFloat(base + 4 * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = Half.toFloat(stored.getShort(base + 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = BFloat16.toFloat(stored.getShort(base + 2 * i));
                }
            }
            default -> throw new ModelFormatException(source.description() + ": tensor '" + key + "' is "
                    + info.dtype() + "; the built graphs read F32, F16 or BF16 weights");
        }
        return out;
    }

    private static ByteBuffer floats(float[] values) {
        ByteBuffer out = direct(values.length * Float.BYTES);
        FloatBuffer floats = out.asFloatBuffer();
        floats.put(values);
        return out;
    }

    private static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
}
