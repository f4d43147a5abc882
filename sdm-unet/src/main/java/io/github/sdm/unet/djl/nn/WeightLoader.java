package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.TensorInfo;
import io.github.sdm.unet.weights.Int8WeightFiles;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Fills every parameter of a part tree from a {@link WeightSource}, strictly: all missing keys,
 * unexpected keys, shape mismatches and non-float dtypes are collected first and reported together in one
 * {@link ModelFormatException} naming the source, so a wrong checkpoint is diagnosed in one run.
 *
 * <p>Weights are held in the storage type asked for ({@link #load(Part, WeightSource, NDManager, Precision)}),
 * one parameter converted at a time, so loading never holds the whole network in two types:
 *
 * <ul>
 *   <li>{@link Precision#FP32}: F32 tensors become NDArrays over the mapped file bytes themselves (no Java heap
 *       copy, no native copy: the page cache is the weight storage); F16 is converted to F32 by the engine, BF16 by
 *       widening each value into a direct buffer (still off the Java heap).</li>
 *   <li>{@link Precision#FP16}: F16 tensors stay as the file holds them (mapped, no copy); F32 and BF16 ones are
 *       rounded to float16 by the engine.</li>
 *   <li>{@link Precision#INT8}: {@linkplain Parameter#isPerChannelWeight() convolution and linear weights} are
 *       quantized per output channel ({@link WeightConversion#quantize}) from the file's F32 or F16 bytes, a
 *       slice of output channels at a time, so no float32 copy of a whole weight is made; every other parameter
 *       (biases, norms, embeddings) is held in float32 as with {@link Precision#FP32}. From an int8 weight file
 *       ({@link Int8WeightFiles}: {@code I8} values with {@code <key>_scale} scales) the values are held as the file
 *       stores them, a view of its mapped bytes like F32 tensors with FP32 storage, and the scales copied; such
 *       values with any other storage type are refused, as are int8 values without proper scales.</li>
 * </ul>
 *
 * <p>{@link Precision#BF16} storage is refused: DJL 0.35.1's PyTorch bridge has no bfloat16 tensors (its type
 * mapping aborts the process on one), so no array of that type can be made.
 */
public final class WeightLoader {
    private static final int MAX_LISTED = 50;

    private WeightLoader() {
    }

    /** Loads with float32 storage. */
    public static void load(Part root, WeightSource source, NDManager manager) {
        load(root, source, manager, Precision.FP32);
    }

    /**
     * Loads every parameter of {@code root}, held as {@code storage} (see the class documentation).
     *
     * @throws IllegalArgumentException for {@link Precision#BF16} storage, which this engine cannot hold
     */
    public static void load(Part root, WeightSource source, NDManager manager, Precision storage) {
        if (storage == Precision.BF16) {
            throw new IllegalArgumentException("bfloat16 weight storage: DJL 0.35.1's PyTorch bridge has no bfloat16 "
                    + "tensors; hold the weights as FP16 or INT8");
        }
        Map<String, Parameter> expected = root.allParameters();
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Parameter p : expected.values()) {
            if (!source.names().contains(p.key())) {
                missing.add(p.key() + " " + Arrays.toString(p.shape()));
                continue;
            }
            TensorInfo info = source.info(p.key());
            if (info.dtype() == DType.I8) {
                mismatched.addAll(int8Problems(source, p, storage));
            } else if (!info.dtype().isFloatingPoint()) {
                mismatched.add(p.key() + ": dtype " + info.dtype() + ", expected a floating-point tensor"
                        + (p.isPerChannelWeight() ? " (or I8 with its scales, an int8 weight file)" : ""));
            }
            if (!compatible(info.shape(), p.shape())) {
                mismatched.add(p.key() + ": expected shape " + Arrays.toString(p.shape()) + ", found "
                        + Arrays.toString(info.shape()));
            }
        }
        Set<String> unexpected = new TreeSet<>(source.names());
        unexpected.removeAll(expected.keySet());
        unexpected.removeIf(key -> isScaleOfInt8Weight(key, source, expected));
        if (!missing.isEmpty() || !mismatched.isEmpty() || !unexpected.isEmpty()) {
            throw new ModelFormatException(report(source, missing, unexpected, mismatched));
        }
        for (Parameter p : expected.values()) {
            store(source, p, manager, storage);
        }
        Part.weightsChanged(root);
    }

    /**
     * What is wrong with the int8 weight {@code p} of an int8 weight file ({@link Int8WeightFiles}): int8 values are
     * read only for int8 storage, only for convolution and linear weights, and only with their F32 scales, one per
     * output channel. Empty when nothing is.
     */
    private static List<String> int8Problems(WeightSource source, Parameter p, Precision storage) {
        List<String> problems = new ArrayList<>();
        String scaleKey = Int8WeightFiles.scaleKey(p.key());
        if (storage != Precision.INT8) {
            problems.add(p.key() + ": int8 values (an int8 weight file, as 'sdm quantize' writes), which only int8 "
                    + "weight storage reads (LoadOptions.weightPrecision INT8, --weights int8), not " + storage);
        } else if (!p.isPerChannelWeight()) {
            problems.add(p.key() + ": dtype I8, but only convolution and linear weights are stored as int8; "
                    + "expected a floating-point tensor");
        } else if (!source.names().contains(scaleKey)) {
            problems.add(p.key() + ": int8 values without their scales '" + scaleKey + "' (F32 [" + p.shape()[0]
                    + "], one per output channel)");
        } else {
            TensorInfo scales = source.info(scaleKey);
            if (scales.dtype() != DType.F32) {
                problems.add(scaleKey + ": dtype " + scales.dtype() + ", expected F32 (the scales of int8 weight '"
                        + p.key() + "')");
            }
            if (!compatible(scales.shape(), new long[] {p.shape()[0]})) {
                problems.add(scaleKey + ": expected shape [" + p.shape()[0] + "] (one scale per output channel of '"
                        + p.key() + "'), found " + Arrays.toString(scales.shape()));
            }
        }
        return problems;
    }

    /** Whether {@code key} names the scales of an expected weight that the source holds as int8 values. */
    private static boolean isScaleOfInt8Weight(String key, WeightSource source, Map<String, Parameter> expected) {
        if (!key.endsWith(Int8WeightFiles.SCALE_SUFFIX)) {
            return false;
        }
        String weightKey = key.substring(0, key.length() - Int8WeightFiles.SCALE_SUFFIX.length());
        return expected.containsKey(weightKey) && source.names().contains(weightKey)
                && source.info(weightKey).dtype() == DType.I8;
    }

    /** Equal shapes, or equal after dropping size-1 dims (a 1x1 conv kernel stored for a linear layer). */
    private static boolean compatible(long[] found, long[] expected) {
        if (Arrays.equals(found, expected)) {
            return true;
        }
        return Arrays.equals(withoutOnes(found), withoutOnes(expected));
    }

    private static long[] withoutOnes(long[] shape) {
        return Arrays.stream(shape).filter(d -> d != 1).toArray();
    }

    /**
     * Reads one parameter and holds it as {@code storage}. A converted tensor's intermediate array is freed and
     * its file mapping released at once ({@link MappedPages}), so the float32 pages do not stay resident.
     */
    private static void store(WeightSource source, Parameter p, NDManager manager, Precision storage) {
        if (source.info(p.key()).dtype() == DType.I8) {
            storeInt8(source, p, manager);
            return;
        }
        boolean keepsFileBytes = storage == Precision.FP32 || storage == Precision.INT8 && !p.isPerChannelWeight()
                || storage == Precision.FP16 && source.info(p.key()).dtype() == DType.F16;
        if (keepsFileBytes) {
            ByteBuffer fileBytes = source.bytes(p.key());
            if (storage == Precision.FP16) {
                p.setMapped(read(source, p, () -> manager.create(fileBytes, new Shape(p.shape()), DataType.FLOAT16)),
                        fileBytes);
            } else if (source.info(p.key()).dtype() == DType.F32) {
                p.setMapped(toFloat32(source, p, manager, fileBytes), fileBytes);
            } else {
                // widened into a new array: the file's pages are not needed any more
                try {
                    p.set(toFloat32(source, p, manager, fileBytes));
                } finally {
                    MappedPages.release(fileBytes);
                }
            }
            return;
        }
        ByteBuffer bytes = source.bytes(p.key());
        try {
            if (storage == Precision.FP16) {
                p.set(convert(toFloat32(source, p, manager, bytes), DataType.FLOAT16));
            } else {
                // quantized from the file's own values, widened a slice at a time (see WeightConversion.quantize)
                try (NDArray weight = read(source, p, () -> fileValues(source, p, manager, bytes))) {
                    NDArray[] quantized = WeightConversion.quantize(weight);
                    p.set(quantized[0], quantized[1]);
                }
            }
        } finally {
            MappedPages.release(bytes);
        }
    }

    /**
     * Holds an int8 weight file's values as the file stores them (a view of its mapped bytes, which weight paging can
     * page out, as float weights from their own type) and a copy of their scales (a few KiB; their mapping goes).
     */
    private static void storeInt8(WeightSource source, Parameter p, NDManager manager) {
        String scaleKey = Int8WeightFiles.scaleKey(p.key());
        ByteBuffer values = source.bytes(p.key());
        ByteBuffer scaleBytes = source.bytes(scaleKey);
        try {
            NDArray q = read(source, p, () -> manager.create(values, new Shape(p.shape()), DataType.INT8));
            NDArray scales;
            try (NDArray view = read(source, p, () -> manager.create(scaleBytes, new Shape(p.shape()[0]),
                    DataType.FLOAT32))) {
                scales = view.duplicate();
            }
            p.setMapped(q, scales, values);
        } finally {
            MappedPages.release(scaleBytes);
        }
    }

    private static NDArray toFloat32(WeightSource source, Parameter p, NDManager manager, ByteBuffer bytes) {
        return read(source, p, () -> float32(source, p, manager, bytes));
    }

    /** Runs a read, naming the source and the tensor in any engine error. */
    private static NDArray read(WeightSource source, Parameter p, Supplier<NDArray> reading) {
        TensorInfo info = source.info(p.key());
        try {
            return reading.get();
        } catch (RuntimeException e) {
            if (e instanceof ModelFormatException mfe) {
                throw mfe;
            }
            throw new ModelFormatException(source.description() + ": cannot read tensor '" + p.key() + "' ("
                    + info + "): " + e.getMessage(), e);
        }
    }

    private static NDArray float32(WeightSource source, Parameter p, NDManager manager, ByteBuffer bytes) {
        TensorInfo info = source.info(p.key());
        Shape shape = new Shape(p.shape());
        return switch (info.dtype()) {
            case F32 -> manager.create(bytes, shape, DataType.FLOAT32);
            case F16 -> convert(manager.create(bytes, shape, DataType.FLOAT16), DataType.FLOAT32);
            // DJL 0.35.1's natives abort on a BFLOAT16 buffer: widen here (bf16 is the top half of f32)
            case BF16 -> manager.create(widenBfloat16(bytes), shape, DataType.FLOAT32);
            default -> throw new IllegalStateException("dtype checked above: " + info.dtype());
        };
    }

    /** The tensor over the file's bytes as F32 or F16 hold them (no copy); BF16, which the engine lacks, widened. */
    private static NDArray fileValues(WeightSource source, Parameter p, NDManager manager, ByteBuffer bytes) {
        return source.info(p.key()).dtype() == DType.F16
                ? manager.create(bytes, new Shape(p.shape()), DataType.FLOAT16)
                : float32(source, p, manager, bytes);
    }

    private static ByteBuffer widenBfloat16(ByteBuffer bf16) {
        ShortBuffer in = bf16.order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        ByteBuffer out = ByteBuffer.allocateDirect(in.remaining() * Float.BYTES).order(ByteOrder.nativeOrder());
        IntBuffer bits = out.asIntBuffer();
        while (in.hasRemaining()) {
            bits.put((in.get() & 0xffff) << 16);
        }
        return out;
    }

    /** {@code array} as {@code type}, a new array; {@code array} is freed. */
    private static NDArray convert(NDArray array, DataType type) {
        NDArray converted = array.toType(type, false);
        array.close();
        return converted;
    }

    private static String report(WeightSource source, List<String> missing, Set<String> unexpected,
            List<String> mismatched) {
        StringBuilder sb = new StringBuilder(source.description()).append(": weights do not match the model (")
                .append(missing.size()).append(" missing, ").append(unexpected.size()).append(" unexpected, ")
                .append(mismatched.size()).append(" mismatched)");
        section(sb, "missing keys", missing);
        section(sb, "unexpected keys", new ArrayList<>(unexpected));
        section(sb, "mismatched tensors", mismatched);
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        sb.append("\n  ").append(title).append(':');
        for (int i = 0; i < Math.min(lines.size(), MAX_LISTED); i++) {
            sb.append("\n    ").append(lines.get(i));
        }
        if (lines.size() > MAX_LISTED) {
            sb.append("\n    ... and ").append(lines.size() - MAX_LISTED).append(" more");
        }
    }
}
