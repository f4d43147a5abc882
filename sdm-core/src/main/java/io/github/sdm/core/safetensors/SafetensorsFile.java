package io.github.sdm.core.safetensors;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.files.RegularFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A memory-mapped, lazily read {@code .safetensors} file.
 *
 * <p>Only the header is parsed on open; each tensor's bytes are mapped when asked for, so files larger
 * than 2 GiB (one mapping's limit) work as long as each tensor is below it.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** The limit of the reference implementation, which refuses larger headers as a denial-of-service guard. */
    private static final long MAX_HEADER_BYTES = 100_000_000L;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors,
            Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens {@code path}, following symbolic links; anything but a regular file is refused before it is opened. */
    public static SafetensorsFile open(Path path) {
        RegularFiles.check(path, ModelFormatException::new);
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("Weight file not found: " + path);
        } catch (IOException e) {
            throw new ModelFormatException("Cannot open weight file " + path + ": " + e.getMessage(), e);
        }
        try {
            return parse(path, channel);
        } catch (RuntimeException | IOException e) {
            closeQuietly(channel);
            if (e instanceof ModelFormatException mfe) {
                throw mfe;
            }
            throw new ModelFormatException("Cannot read weight file " + path + ": " + e.getMessage(), e);
        }
    }

    private static SafetensorsFile parse(Path path, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new ModelFormatException(path + ": truncated safetensors file (" + fileSize
                    + " bytes, the 8-byte header length is missing)");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        boolean pastTheEnd = Long.compareUnsigned(headerLength, fileSize - 8) > 0;
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
            throw new ModelFormatException(path + " is not a safetensors file: header length "
                    + Long.toUnsignedString(headerLength) + " (its first 8 bytes as a number) is "
                    + (pastTheEnd ? "larger than the file (" + fileSize + " bytes)"
                            : "not plausible (2 to " + MAX_HEADER_BYTES + " bytes)")
                    + formatHint(lengthBytes.array()));
        }
        if (pastTheEnd) {
            throw new ModelFormatException(path + ": header length " + headerLength + " runs past the end of the file ("
                    + fileSize + " bytes); the file is truncated or not safetensors");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        JsonObject header = SafetensorsHeader.parse(path, headerBytes.flip());
        long dataStart = 8 + headerLength;
        long dataLength = fileSize - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : header.entrySet()) {
            if (entry.getKey().equals(SafetensorsHeader.METADATA_KEY)) {
                metadata.putAll(SafetensorsHeader.metadata(path, entry.getValue()));
                continue;
            }
            TensorInfo info = HeaderEntry.parse(path, entry.getKey(), entry.getValue(), dataLength);
            tensors.put(info.name(), info);
        }
        HeaderEntry.checkNoOverlap(path, tensors.values());
        return new SafetensorsFile(path, channel, dataStart, Collections.unmodifiableMap(tensors),
                Collections.unmodifiableMap(metadata));
    }

    public Path path() {
        return path;
    }

    public Set<String> names() {
        return tensors.keySet();
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new ModelFormatException(path + ": no tensor named '" + name + "'");
        }
        return info;
    }

    /**
     * The tensor's raw little-endian bytes, mapped read-only from the file. Each call maps anew, so a
     * tensor of a file over 2 GiB can be read as long as the tensor itself is below 2 GiB.
     */
    public ByteBuffer bytes(String name) {
        TensorInfo info = info(name);
        if (info.byteLength() > Integer.MAX_VALUE) {
            throw new ModelFormatException(path + ": tensor '" + name + "' is larger than 2 GiB");
        }
        if (!channel.isOpen()) {
            throw new ModelFormatException(path + ": cannot read tensor '" + name + "', the file has been closed");
        }
        try {
            MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin(),
                    info.byteLength());
            return buffer.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new ModelFormatException(path + ": cannot map tensor '" + name + "': " + e.getMessage(), e);
        }
    }

    /** The tensor converted to float32 from F32, F16, BF16, F64 or float8 storage. */
    public float[] floats(String name) {
        TensorInfo info = info(name);
        return Dtypes.toFloats(info, bytes(name), path);
    }

    /** The tensor as 64-bit integers, from any integer or BOOL storage. */
    public long[] longs(String name) {
        TensorInfo info = info(name);
        return Dtypes.toLongs(info, bytes(name), path);
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    /** What a file that is not safetensors often is instead, judged by its first bytes; empty if unrecognised. */
    private static String formatHint(byte[] firstBytes) {
        String start = new String(firstBytes, StandardCharsets.ISO_8859_1);
        if (start.startsWith("version ")) {
            return "; it looks like a Git LFS pointer (a text file standing for the real one): fetch the weights"
                    + " with git lfs pull";
        }
        if (start.startsWith("PK\u0003\u0004")) {
            return "; it looks like a ZIP archive, as PyTorch .bin and .ckpt checkpoints are, which sdm does not read";
        }
        return "";
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing useful to do: the file was only read
        }
    }
}
