package io.github.sdm.core.safetensors;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.sdm.core.error.SdmException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@code .safetensors} file, streaming each tensor's bytes to disk so that only one tensor is
 * ever held in memory.
 *
 * <p>All tensors are declared up front, because the header (which holds every byte range) comes first.
 * The layout follows the reference Rust implementation: the header is padded with spaces to a multiple
 * of 8 bytes, and tensors are stored contiguously with the widest dtypes first, so every tensor starts
 * at a multiple of its element size. Tensors may then be written in any order.
 *
 * <p>The file is written under a temporary sibling name and moved into place by {@link #close()} once
 * every tensor was written, so an interrupted write never leaves a file that looks complete. Not
 * thread-safe.
 */
public final class SafetensorsWriter implements AutoCloseable {
    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final int CHUNK_BYTES = 1 << 20;

    private final Path path;
    private final Path partial;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> layout;
    private final Set<String> pending;
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private boolean failed;
    private boolean closed;

    private SafetensorsWriter(Path path, Path partial, FileChannel channel, long dataStart,
            Map<String, TensorInfo> layout) {
        this.path = path;
        this.partial = partial;
        this.channel = channel;
        this.dataStart = dataStart;
        this.layout = layout;
        this.pending = new LinkedHashSet<>(layout.keySet());
    }

    /** Writes {@code tensors} to {@code path}, fetching each one's values only when its turn comes. */
    public static void write(Path path, Map<String, String> metadata, List<TensorSource> tensors) {
        List<TensorSpec> specs = tensors.stream().map(TensorSource::spec).toList();
        try (SafetensorsWriter writer = create(path, metadata, specs)) {
            for (TensorSource tensor : tensors) {
                try {
                    tensor.writeTo(writer);
                } catch (RuntimeException e) {
                    writer.failed = true;
                    throw e;
                }
            }
        }
    }

    public static void write(Path path, List<TensorSource> tensors) {
        write(path, Map.of(), tensors);
    }

    /**
     * Starts {@code path}: lays out the tensors and writes the header. {@code metadata} (may be empty) becomes
     * the header's {@code __metadata__}.
     */
    public static SafetensorsWriter create(Path path, Map<String, String> metadata, List<TensorSpec> tensors) {
        Map<String, TensorInfo> layout = layOut(path, tensors);
        byte[] header = headerBytes(path, metadata, tensors, layout);
        Path partial = path.resolveSibling(path.getFileName() + ".partial");
        FileChannel channel;
        try {
            channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new SdmException("Cannot create " + partial + ": " + e, e);
        }
        SafetensorsWriter writer = new SafetensorsWriter(path, partial, channel, 8L + header.length, layout);
        ByteBuffer start = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
        start.putLong(header.length).put(header).flip();
        try {
            writer.writeAt(start, 0, "the header");
        } catch (RuntimeException e) {
            writer.close(); // marked failed: deletes the partial file
            throw e;
        }
        return writer;
    }

    /** Where each tensor goes, by name, in the order declared. */
    public Map<String, TensorInfo> layout() {
        return layout;
    }

    /** Writes a floating-point tensor (F32, F16, BF16 or F64), rounding to nearest-even where narrowing. */
    public void writeFloats(String name, float[] values) {
        TensorInfo info = claim(name, values.length);
        DType dtype = info.dtype();
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16 && dtype != DType.F64) {
            throw misuse(info, "was declared " + dtype + "; writeFloats writes F32, F16, BF16 or F64");
        }
        long position = dataStart + info.begin();
        int perChunk = CHUNK_BYTES / dtype.byteSize();
        for (int from = 0; from < values.length; from += perChunk) {
            int to = Math.min(values.length, from + perChunk);
            chunk.clear();
            switch (dtype) {
                case F32 -> {
                    chunk.asFloatBuffer().put(values, from, to - from);
                    chunk.position(4 * (to - from));
                }
                case F16 -> {
                    for (int i = from; i < to; i++) {
                        chunk.putShort(Half.fromFloat(values[i]));
                    }
                }
                case BF16 -> {
                    for (int i = from; i < to; i++) {
                        chunk.putShort(BFloat16.fromFloat(values[i]));
                    }
                }
                default -> {
                    for (int i = from; i < to; i++) {
                        chunk.putDouble(values[i]);
                    }
                }
            }
            chunk.flip();
            position += writeAt(chunk, position, "tensor '" + name + "'");
        }
        pending.remove(name);
    }

    /** Writes an integer tensor (I64, I32, I16, I8, U32, U16, U8 or BOOL); values out of range are refused. */
    public void writeLongs(String name, long[] values) {
        TensorInfo info = claim(name, values.length);
        DType dtype = info.dtype();
        long min;
        long max;
        switch (dtype) {
            case I64 -> { min = Long.MIN_VALUE; max = Long.MAX_VALUE; }
            case I32 -> { min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; }
            case I16 -> { min = Short.MIN_VALUE; max = Short.MAX_VALUE; }
            case I8 -> { min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; }
            case U32 -> { min = 0; max = 0xffffffffL; }
            case U16 -> { min = 0; max = 0xffff; }
            case U8 -> { min = 0; max = 0xff; }
            case BOOL -> { min = 0; max = 1; }
            default -> throw misuse(info, "was declared " + dtype + "; writeLongs writes integer and BOOL tensors");
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] < min || values[i] > max) {
                throw misuse(info, "element " + i + " = " + values[i] + " does not fit " + dtype);
            }
        }
        long position = dataStart + info.begin();
        int perChunk = CHUNK_BYTES / dtype.byteSize();
        for (int from = 0; from < values.length; from += perChunk) {
            int to = Math.min(values.length, from + perChunk);
            chunk.clear();
            for (int i = from; i < to; i++) {
                switch (dtype.byteSize()) {
                    case 8 -> chunk.putLong(values[i]);
                    case 4 -> chunk.putInt((int) values[i]);
                    case 2 -> chunk.putShort((short) values[i]);
                    default -> chunk.put((byte) values[i]);
                }
            }
            chunk.flip();
            position += writeAt(chunk, position, "tensor '" + name + "'");
        }
        pending.remove(name);
    }

    /** Writes a tensor's raw little-endian bytes as stored, for copying tensors between files unchanged. */
    public void writeBytes(String name, ByteBuffer littleEndianBytes) {
        TensorInfo info = claim(name, -1);
        if (littleEndianBytes.remaining() != info.byteLength()) {
            throw misuse(info, "needs " + info.byteLength() + " bytes, got " + littleEndianBytes.remaining());
        }
        writeAt(littleEndianBytes.duplicate(), dataStart + info.begin(), "tensor '" + name + "'");
        pending.remove(name);
    }

    /**
     * Completes the file and moves it to its name. If a tensor was never written, or a write failed, the
     * partial file is deleted instead; the former is reported as an error.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean complete = !failed && pending.isEmpty();
        try {
            channel.close();
            if (complete) {
                moveIntoPlace();
                return;
            }
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            throw new SdmException("Cannot finish " + path + ": " + e, e);
        }
        if (!failed) {
            throw new SdmException(path + ": not written, tensors " + pending + " were declared but never written");
        }
    }

    private void moveIntoPlace() throws IOException {
        try {
            Files.move(partial, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private TensorInfo claim(String name, int elementCount) {
        if (closed) {
            throw new SdmException(path + ": cannot write tensor '" + name + "', the writer is closed");
        }
        TensorInfo info = layout.get(name);
        if (info == null) {
            throw new SdmException(path + ": tensor '" + name + "' was not declared (declared: " + layout.keySet() + ")");
        }
        if (!pending.contains(name)) {
            throw misuse(info, "was already written");
        }
        if (elementCount >= 0 && elementCount != info.elementCount()) {
            throw misuse(info, "has shape " + Arrays.toString(info.shape()) + " = " + info.elementCount()
                    + " elements, got " + elementCount + " values");
        }
        return info;
    }

    private SdmException misuse(TensorInfo info, String problem) {
        failed = true;
        return new SdmException(path + ": tensor '" + info.name() + "' " + problem);
    }

    private int writeAt(ByteBuffer bytes, long position, String what) {
        int n = bytes.remaining();
        try {
            while (bytes.hasRemaining()) {
                position += channel.write(bytes, position);
            }
            return n;
        } catch (IOException e) {
            failed = true;
            throw new SdmException(path + ": cannot write " + what + ": " + e, e);
        }
    }

    private static Map<String, TensorInfo> layOut(Path path, List<TensorSpec> tensors) {
        Set<String> names = new LinkedHashSet<>();
        for (TensorSpec spec : tensors) {
            if (spec.name().equals(SafetensorsHeader.METADATA_KEY)) {
                throw new SdmException(path + ": '" + SafetensorsHeader.METADATA_KEY + "' is reserved, not a tensor name");
            }
            if (!names.add(spec.name())) {
                throw new SdmException(path + ": tensor '" + spec.name() + "' is declared twice");
            }
        }
        // Widest elements first: with no gaps allowed between tensors, this keeps each one aligned.
        List<TensorSpec> byWidth = new ArrayList<>(tensors);
        byWidth.sort(Comparator.comparingInt((TensorSpec s) -> s.dtype().byteSize()).reversed());
        Map<String, TensorInfo> placed = new LinkedHashMap<>();
        long offset = 0;
        for (TensorSpec spec : byWidth) {
            long end = offset + spec.byteLength();
            placed.put(spec.name(), new TensorInfo(spec.name(), spec.dtype(), spec.shape(), offset, end));
            offset = end;
        }
        Map<String, TensorInfo> layout = new LinkedHashMap<>();
        tensors.forEach(spec -> layout.put(spec.name(), placed.get(spec.name())));
        return Collections.unmodifiableMap(layout);
    }

    private static byte[] headerBytes(Path path, Map<String, String> metadata, List<TensorSpec> tensors,
            Map<String, TensorInfo> layout) {
        JsonObject header = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach((k, v) -> {
                if (k == null || v == null) {
                    throw new SdmException(path + ": metadata entries need a key and a value, found " + k + "=" + v);
                }
                meta.addProperty(k, v);
            });
            header.add(SafetensorsHeader.METADATA_KEY, meta);
        }
        for (TensorSpec spec : tensors) {
            TensorInfo info = layout.get(spec.name());
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", info.dtype().headerName());
            JsonArray shape = new JsonArray();
            for (long d : info.shape()) {
                shape.add(d);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(info.begin());
            offsets.add(info.end());
            entry.add("data_offsets", offsets);
            header.add(spec.name(), entry);
        }
        byte[] json = JSON.toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] bytes = Arrays.copyOf(json, padded);
        Arrays.fill(bytes, json.length, padded, (byte) ' ');
        return bytes;
    }
}
