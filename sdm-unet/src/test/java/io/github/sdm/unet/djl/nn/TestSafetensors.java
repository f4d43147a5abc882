package io.github.sdm.unet.djl.nn;

import io.github.sdm.core.safetensors.Half;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes small float32 safetensors files for tests. */
public final class TestSafetensors {
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, float[]> values = new LinkedHashMap<>();
    private final Map<String, String> dtypes = new LinkedHashMap<>();

    /** Stores the next tensors put as {@code F32}, {@code F16} or {@code BF16} (truncated). */
    private String dtype = "F32";

    public TestSafetensors dtype(String storedAs) {
        dtype = storedAs;
        return this;
    }

    public TestSafetensors put(String name, float[] data, long... shape) {
        shapes.put(name, shape);
        values.put(name, data);
        dtypes.put(name, dtype);
        return this;
    }

    /** A tensor of the given shape filled with {@code 0.01 * (i % 7)}. */
    public TestSafetensors put(String name, long... shape) {
        int n = Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b));
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = 0.01f * (i % 7);
        }
        return put(name, data, shape);
    }

    public Path write(Path file) throws IOException {
        StringBuilder header = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long bytes = (dtypes.get(e.getKey()).equals("F32") ? 4L : 2L) * values.get(e.getKey()).length;
            if (header.length() > 1) {
                header.append(',');
            }
            header.append('"').append(e.getKey()).append("\":{\"dtype\":\"").append(dtypes.get(e.getKey())).append("\",\"shape\":[")
                    .append(Arrays.stream(e.getValue()).mapToObj(Long::toString).collect(Collectors.joining(",")))
                    .append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        header.append('}');
        while ((header.length() + 8) % 8 != 0) {
            header.append(' ');
        }
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + headerBytes.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(headerBytes.length).put(headerBytes);
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            String type = dtypes.get(e.getKey());
            for (float f : e.getValue()) {
                switch (type) {
                    case "F32" -> out.putFloat(f);
                    case "F16" -> out.putShort(Half.fromFloat(f));
                    case "BF16" -> out.putShort((short) (Float.floatToIntBits(f) >>> 16));
                    default -> throw new IllegalArgumentException(type);
                }
            }
        }
        Files.write(file, out.array());
        return file;
    }
}
