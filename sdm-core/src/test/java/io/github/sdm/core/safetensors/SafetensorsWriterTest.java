package io.github.sdm.core.safetensors;

import static io.github.sdm.core.safetensors.SafetensorsFileTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.SdmException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryWritableDtype() {
        float[] values = randomFloats(3 * 5 * 7, 1);
        values[0] = Float.NaN;
        values[1] = Float.NEGATIVE_INFINITY;
        values[2] = 1e-6f; // subnormal in half precision
        values[3] = 70000f; // overflows half precision
        long[] ids = {49406, -1, Long.MAX_VALUE, Long.MIN_VALUE, 0};
        Path p = dir.resolve("all.safetensors");
        SafetensorsWriter.write(p, List.of(
                TensorSource.ofFloats("f16", DType.F16, values, 3, 5, 7),
                TensorSource.ofFloats("f32", DType.F32, values, 3, 35),
                TensorSource.ofLongs("ids", ids, 1, 5),
                TensorSource.ofFloats("bf16", DType.BF16, values, 105),
                TensorSource.ofFloats("f64", DType.F64, values, 105),
                TensorSource.ofLongs("i32", DType.I32, () -> new long[] {-3, Integer.MAX_VALUE}, 2),
                TensorSource.ofLongs("mask", DType.BOOL, () -> new long[] {1, 0, 1}, 3),
                TensorSource.ofFloats("scalar", DType.F32, new float[] {2.5f}),
                TensorSource.ofFloats("empty", DType.F32, new float[0], 0, 4)));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(List.of("f16", "f32", "ids", "bf16", "f64", "i32", "mask", "scalar", "empty"),
                    List.copyOf(f.names()));
            assertArrayEquals(new long[] {3, 5, 7}, f.info("f16").shape());
            assertArrayEquals(values, f.floats("f32"));
            assertArrayEquals(values, f.floats("f64"));
            float[] f16 = f.floats("f16");
            float[] bf16 = f.floats("bf16");
            for (int i = 0; i < values.length; i++) {
                assertEquals(Half.toFloat(Half.fromFloat(values[i])), f16[i]);
                assertEquals(BFloat16.toFloat(BFloat16.fromFloat(values[i])), bf16[i]);
            }
            assertEquals(Float.POSITIVE_INFINITY, f16[3]);
            assertEquals(Half.toFloat((short) 0x0011), f16[2]);
            assertArrayEquals(ids, f.longs("ids"));
            assertEquals(DType.I64, f.info("ids").dtype());
            assertArrayEquals(new long[] {-3, Integer.MAX_VALUE}, f.longs("i32"));
            assertArrayEquals(new long[] {1, 0, 1}, f.longs("mask"));
            assertArrayEquals(new float[] {2.5f}, f.floats("scalar"));
            assertEquals(0, f.info("scalar").rank());
            assertEquals(0, f.floats("empty").length);
            assertTrue(f.metadata().isEmpty());
        }
    }

    @Test
    void laysOutLikeTheReferenceImplementation() throws IOException {
        Path p = dir.resolve("layout.safetensors");
        SafetensorsWriter.write(p, Map.of("format", "pt"), List.of(
                TensorSource.ofFloats("h", DType.F16, new float[3], 3),
                TensorSource.ofFloats("w", DType.F32, new float[2], 2),
                TensorSource.ofLongs("ids", new long[] {7}, 1)));
        byte[] bytes = Files.readAllBytes(p);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header padded to 8 bytes");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},"), header);
        assertEquals(header.strip().length(), header.stripTrailing().length());
        assertTrue(header.stripTrailing().endsWith("}"));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            // Widest dtype first and no gaps: every tensor starts at a multiple of its element size.
            assertEquals(0, f.info("ids").begin());
            assertEquals(8, f.info("w").begin());
            assertEquals(16, f.info("h").begin());
            assertEquals(bytes.length - 8 - headerLength, f.info("h").end());
            assertEquals(Map.of("format", "pt"), f.metadata());
        }
    }

    @Test
    void writesMetadata() {
        Path p = dir.resolve("meta.safetensors");
        Map<String, String> metadata = new TreeMap<>(Map.of("format", "pt", "note", "ünïcode \"quoted\" <html>"));
        SafetensorsWriter.write(p, metadata, List.of(TensorSource.ofFloats("x", DType.F32, new float[] {1}, 1)));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(metadata, f.metadata());
            assertEquals(List.of("x"), List.copyOf(f.names()));
        }
    }

    @Test
    void fetchesEachTensorOnlyWhenItsTurnComes() {
        Path p = dir.resolve("lazy.safetensors");
        List<String> events = new ArrayList<>();
        List<TensorSource> sources = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "t" + i;
            sources.add(TensorSource.ofFloats(name, DType.F16, () -> {
                events.add("fetch " + name);
                return new float[] {1, 2};
            }, 2));
        }
        SafetensorsWriter.write(p, sources);
        assertEquals(List.of("fetch t0", "fetch t1", "fetch t2"), events);
    }

    @Test
    void writesTensorsInAnyOrderAndCopiesRawBytes() {
        Path p = dir.resolve("manual.safetensors");
        try (SafetensorsWriter w = SafetensorsWriter.create(p, Map.of(), List.of(
                new TensorSpec("a", DType.F32, 2), new TensorSpec("b", DType.F16, 2)))) {
            ByteBuffer raw = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            raw.putShort(Half.fromFloat(0.5f)).putShort(Half.fromFloat(-4f)).flip();
            w.writeBytes("b", raw);
            w.writeFloats("a", new float[] {9, 8});
            assertFalse(Files.exists(p), "the file appears only when complete");
        }
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertArrayEquals(new float[] {9, 8}, f.floats("a"));
            assertArrayEquals(new float[] {0.5f, -4f}, f.floats("b"));
        }
    }

    @Test
    void refusesValuesThatDoNotMatchTheShape() {
        Path p = dir.resolve("bad.safetensors");
        SdmException e = assertThrows(SdmException.class, () -> SafetensorsWriter.write(p,
                List.of(TensorSource.ofFloats("w", DType.F32, new float[5], 2, 3))));
        assertMessage(e, p, "'w'", "[2, 3]", "6 elements", "got 5");
        assertNoFiles();
    }

    @Test
    void refusesBadDeclarations() {
        Path p = dir.resolve("bad.safetensors");
        assertMessage(assertThrows(SdmException.class, () -> SafetensorsWriter.write(p, List.of(
                TensorSource.ofFloats("w", DType.F32, new float[1], 1),
                TensorSource.ofFloats("w", DType.F32, new float[1], 1)))), p, "'w'", "declared twice");
        assertMessage(assertThrows(SdmException.class, () -> SafetensorsWriter.write(p, List.of(
                TensorSource.ofFloats("__metadata__", DType.F32, new float[1], 1)))), p, "reserved");
        assertMessage(assertThrows(SdmException.class, () -> SafetensorsWriter.write(p, List.of(
                TensorSource.ofFloats("ids", DType.I64, new float[1], 1)))), p, "'ids'", "declared I64");
        assertMessage(assertThrows(SdmException.class, () -> SafetensorsWriter.write(p, List.of(
                TensorSource.ofLongs("small", DType.I32, () -> new long[] {1L << 40}, 1)))), p, "'small'",
                "does not fit I32");
        SdmException negative = assertThrows(SdmException.class, () -> new TensorSpec("n", DType.F32, 2, -1));
        assertTrue(negative.getMessage().contains("'n'"), negative.getMessage());
        assertNoFiles();
    }

    @Test
    void tensorNeverWrittenLeavesNoFile() {
        Path p = dir.resolve("incomplete.safetensors");
        SafetensorsWriter w = SafetensorsWriter.create(p, Map.of(), List.of(
                new TensorSpec("a", DType.F32, 1), new TensorSpec("b", DType.F32, 1)));
        w.writeFloats("a", new float[] {1});
        assertMessage(assertThrows(SdmException.class, w::close), p, "[b]", "never written");
        assertNoFiles();
    }

    @Test
    void failingSupplierLeavesNoFile() {
        Path p = dir.resolve("failing.safetensors");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SafetensorsWriter.write(p, List.of(
                TensorSource.ofFloats("a", DType.F32, new float[1], 1),
                TensorSource.ofFloats("b", DType.F32, () -> {
                    throw new IllegalStateException("source gone");
                }, 1))));
        assertEquals("source gone", e.getMessage());
        assertNoFiles();
    }

    @Test
    void unwritableTargetIsNamed() {
        Path p = dir.resolve("no-such-folder").resolve("x.safetensors");
        SdmException e = assertThrows(SdmException.class, () -> SafetensorsWriter.write(p,
                List.of(TensorSource.ofFloats("x", DType.F32, new float[] {1}, 1))));
        assertTrue(e.getMessage().contains("x.safetensors"), e.getMessage());
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path p = dir.resolve("again.safetensors");
        Files.writeString(p, "old");
        SafetensorsWriter.write(p, List.of(TensorSource.ofFloats("x", DType.F32, new float[] {3}, 1)));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertArrayEquals(new float[] {3}, f.floats("x"));
        }
    }

    @Test
    void writesTensorsLargerThanOneChunk() {
        Path p = dir.resolve("big.safetensors");
        float[] values = randomFloats((1 << 19) + 3, 7); // 2 MiB + 12 bytes of F32: three chunks
        SafetensorsWriter.write(p, List.of(
                TensorSource.ofFloats("f32", DType.F32, values, values.length),
                TensorSource.ofFloats("f16", DType.F16, values, values.length)));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertArrayEquals(values, f.floats("f32"));
            float[] f16 = f.floats("f16");
            for (int i = 0; i < values.length; i += 4099) {
                assertEquals(Half.toFloat(Half.fromFloat(values[i])), f16[i]);
            }
            assertEquals(Half.toFloat(Half.fromFloat(values[values.length - 1])), f16[values.length - 1]);
        }
    }

    private void assertNoFiles() {
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static float[] randomFloats(int n, long seed) {
        Random random = new Random(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian() * 3;
        }
        return values;
    }
}
