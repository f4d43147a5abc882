package io.github.sdm.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader on valid files of every dtype it converts, and on each kind of damage, with the error it gives. */
class SafetensorsFileTest {
    private static final String ONE_F32 = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    @TempDir
    Path dir;

    @Test
    void readsAHandWrittenFile() throws IOException {
        Path p = RawSafetensors.write(dir.resolve("ok.safetensors"),
                "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[8,12]}}",
                concat(RawSafetensors.floatBytes(1.5f, -2f), new byte[] {0x00, 0x3c, 0x00, (byte) 0xc1}));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertEquals(List.of("a", "b"), List.copyOf(f.names()));
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertArrayEquals(new long[] {2, 1}, f.info("a").shape());
            assertArrayEquals(new int[] {2, 1}, f.info("a").intShape());
            assertArrayEquals(new float[] {1.5f, -2f}, f.floats("a"));
            assertArrayEquals(new float[] {1f, -2.5f}, f.floats("b"));
        }
    }

    @Test
    void convertsIntegerAndNarrowFloatDtypes() throws IOException {
        String header = "{\"i32\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"u8\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[8,10]},"
                + "\"i8\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[10,12]},"
                + "\"e4m3\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[12,16]},"
                + "\"e5m2\":{\"dtype\":\"F8_E5M2\",\"shape\":[2],\"data_offsets\":[16,18]}}";
        ByteBuffer data = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(-7).putInt(1 << 30).put((byte) 200).put((byte) 3).put((byte) -5).put((byte) 127);
        data.put((byte) 0x38).put((byte) 0x7e).put((byte) 0x01).put((byte) 0xb8); // 1, 448, 2^-9, -1
        data.put((byte) 0x3c).put((byte) 0x7c); // 1, inf
        Path p = RawSafetensors.write(dir.resolve("ints.safetensors"), header, data.array());
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertArrayEquals(new long[] {-7, 1 << 30}, f.longs("i32"));
            assertArrayEquals(new long[] {200, 3}, f.longs("u8"));
            assertArrayEquals(new long[] {-5, 127}, f.longs("i8"));
            assertArrayEquals(new float[] {1f, 448f, 0x1p-9f, -1f}, f.floats("e4m3"));
            assertArrayEquals(new float[] {1f, Float.POSITIVE_INFINITY}, f.floats("e5m2"));
            assertMessage(assertThrows(ModelFormatException.class, () -> f.floats("i32")), p, "'i32'", "I32");
            assertMessage(assertThrows(ModelFormatException.class, () -> f.longs("e4m3")), p, "'e4m3'", "F8_E4M3");
            assertMessage(assertThrows(ModelFormatException.class, () -> f.info("nope")), p, "'nope'");
        }
    }

    @Test
    void fileShorterThanTheLengthPrefix() throws IOException {
        Path p = dir.resolve("tiny.safetensors");
        Files.write(p, new byte[] {1, 2, 3, 4, 5});
        assertMessage(open(p), p, "truncated", "5 bytes");
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("absent.safetensors");
        assertMessage(open(p), p, "not found");
    }

    @Test
    void dataCutShort() throws IOException {
        Path p = RawSafetensors.write(dir.resolve("cut.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}",
                new byte[20]);
        assertMessage(open(p), p, "'b'", "truncated", "20 bytes");
    }

    @Test
    void headerLengthPastTheEnd() throws IOException {
        Path p = dir.resolve("long-header.safetensors");
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(1000).put("{\"a\":1}".getBytes());
        Files.write(p, b.array());
        assertMessage(open(p), p, "header length 1000", "40 bytes");
    }

    @Test
    void implausibleHeaderLength() throws IOException {
        Path p = dir.resolve("garbage.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(-1L).putLong(0);
        Files.write(p, b.array());
        assertMessage(open(p), p, "is not a safetensors file: header length 18446744073709551615", "larger than the file");
        b.clear();
        b.putLong(1).putLong(0);
        Files.write(p, b.array());
        assertMessage(open(p), p, "is not a safetensors file: header length 1", "not plausible");
    }

    /** A symbolic link is followed (as in Hugging Face caches); what it leads to is judged by its content. */
    @Test
    void textBehindASymbolicLinkIsNotASafetensorsFile() throws IOException {
        Path pointer = Files.writeString(dir.resolve("blob"), "version https://git-lfs.github.com/spec/v1\n"
                + "oid sha256:4d2b1a6c\nsize 3438167536\n");
        Path link = dir.resolve("model.safetensors");
        try {
            Files.createSymbolicLink(link, pointer);
        } catch (UnsupportedOperationException | IOException e) {
            Assumptions.abort("cannot make a symbolic link here: " + e);
        }
        assertEquals(link + " is not a safetensors file: header length 2336927755350992246 (its first 8 bytes as a"
                + " number) is larger than the file (79 bytes); it looks like a Git LFS pointer (a text file standing"
                + " for the real one): fetch the weights with git lfs pull", open(link).getMessage());
        Files.write(pointer, new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0});
        assertMessage(open(link), link, "is not a safetensors file", "ZIP archive", "PyTorch");
    }

    @Test
    void malformedJson() throws IOException {
        assertMessage(open(RawSafetensors.write(dir.resolve("m1.safetensors"), "{\"a\": {\"dtype\"", new byte[0])),
                dir.resolve("m1.safetensors"), "malformed JSON header");
        assertMessage(open(RawSafetensors.write(dir.resolve("m2.safetensors"), "[1, 2]   ", new byte[0])),
                dir.resolve("m2.safetensors"), "expected a JSON object");
        assertMessage(open(RawSafetensors.write(dir.resolve("m3.safetensors"), "{a: 1}", new byte[0])),
                dir.resolve("m3.safetensors"), "malformed JSON header");
        assertMessage(open(RawSafetensors.write(dir.resolve("m4.safetensors"), ONE_F32 + "{}", new byte[8])),
                dir.resolve("m4.safetensors"), "malformed JSON header", "column 56");
        assertMessage(open(RawSafetensors.write(dir.resolve("m5.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8])),
                dir.resolve("m5.safetensors"), "'a' appears twice");
        assertMessage(open(RawSafetensors.write(dir.resolve("m6.safetensors"),
                new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}', ' '}, new byte[0])),
                dir.resolve("m6.safetensors"), "UTF-8");
    }

    @Test
    void trailingSpacePaddingIsAccepted() throws IOException {
        Path p = RawSafetensors.write(dir.resolve("padded.safetensors"), ONE_F32 + "     ",
                RawSafetensors.floatBytes(3, 4));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertArrayEquals(new float[] {3, 4}, f.floats("a"));
        }
    }

    @Test
    void overlappingOffsets() throws IOException {
        Path p = RawSafetensors.write(dir.resolve("overlap.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}",
                new byte[24]);
        assertMessage(open(p), p, "'a'", "'b'", "overlap");
    }

    @Test
    void overlapHiddenBehindALongTensor() throws IOException {
        // 'c' starts after 'b' ends but still inside 'a'.
        Path p = RawSafetensors.write(dir.resolve("overlap2.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[0,32]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                        + "\"c\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}",
                new byte[32]);
        assertMessage(open(p), p, "overlap");
    }

    @Test
    void offsetsPastTheData() throws IOException {
        Path p = RawSafetensors.write(dir.resolve("past.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[100,108]}}", new byte[8]);
        assertMessage(open(p), p, "'a'", "[100,108]", "past the end");
    }

    @Test
    void invalidOffsets() throws IOException {
        Path p = RawSafetensors.write(dir.resolve("backwards.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", new byte[8]);
        assertMessage(open(p), p, "'a'", "end before they begin");
        Path q = RawSafetensors.write(dir.resolve("negative.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", new byte[8]);
        assertMessage(open(q), q, "'a'", "-8", "non-negative integer");
        Path r = RawSafetensors.write(dir.resolve("three.safetensors"),
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,9]}}", new byte[9]);
        assertMessage(open(r), r, "'a'", "two numbers");
    }

    @Test
    void unknownDtype() throws IOException {
        Path p = RawSafetensors.write(dir.resolve("dtype.safetensors"),
                "{\"w\":{\"dtype\":\"Q4_K\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        assertMessage(open(p), p, "'w'", "unknown dtype \"Q4_K\"");
        Path q = RawSafetensors.write(dir.resolve("dtype2.safetensors"),
                "{\"w\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        assertMessage(open(q), q, "'w'", "dtype must be a string");
    }

    @Test
    void shapeNotMatchingTheByteCount() throws IOException {
        Path p = RawSafetensors.write(dir.resolve("shape.safetensors"),
                "{\"w\":{\"dtype\":\"F16\",\"shape\":[3,2],\"data_offsets\":[0,8]}}", new byte[8]);
        assertMessage(open(p), p, "'w'", "[3, 2]", "needs 12 bytes", "hold 8");
        Path q = RawSafetensors.write(dir.resolve("shape2.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", new byte[8]);
        assertMessage(open(q), q, "'w'", "shape holds 2.5");
        Path r = RawSafetensors.write(dir.resolve("shape3.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", new byte[8]);
        assertMessage(open(r), r, "'w'", "too large");
        Path s = RawSafetensors.write(dir.resolve("shape4.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}", new byte[8]);
        assertMessage(open(s), s, "'w'", "shape must be an array");
    }

    @Test
    void entryWithoutItsFields() throws IOException {
        Path p = RawSafetensors.write(dir.resolve("fields.safetensors"), "{\"w\":{\"dtype\":\"F32\"}}", new byte[0]);
        assertMessage(open(p), p, "'w'", "needs dtype, shape and data_offsets");
        Path q = RawSafetensors.write(dir.resolve("fields2.safetensors"), "{\"w\":[1]}", new byte[0]);
        assertMessage(open(q), q, "'w'", "not a JSON object");
    }

    @Test
    void readingAfterCloseIsAnError() throws IOException {
        Path p = RawSafetensors.write(dir.resolve("closed.safetensors"), ONE_F32, new byte[8]);
        SafetensorsFile f = SafetensorsFile.open(p);
        f.close();
        assertMessage(assertThrows(ModelFormatException.class, () -> f.floats("a")), p, "'a'", "closed");
    }

    /**
     * A file over 2 GiB whose last tensor starts beyond 2 GiB: the reader maps each tensor on its own. The
     * file is sparse (the gap is never written), so this takes no time and no disk space.
     */
    @Test
    void readsATensorBeyondTwoGiB() throws IOException {
        long gap = (1L << 31) + 16;
        String header = "{\"head\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"gap\":{\"dtype\":\"U8\",\"shape\":[" + gap + "],\"data_offsets\":[8," + (8 + gap) + "]},"
                + "\"far\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[" + (8 + gap) + "," + (20 + gap) + "]}}";
        Path p = dir.resolve("huge.safetensors");
        byte[] headerBytes = header.getBytes();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer start = ByteBuffer.allocate(8 + headerBytes.length + 8).order(ByteOrder.LITTLE_ENDIAN);
            start.putLong(headerBytes.length).put(headerBytes).put(RawSafetensors.floatBytes(1, 2)).flip();
            ch.write(start, 0);
            long farStart = 8 + headerBytes.length + 8 + gap;
            ch.write(ByteBuffer.wrap(RawSafetensors.floatBytes(7.25f, -1e-3f, 42f)), farStart);
        }
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertTrue(Files.size(p) > (1L << 31));
            assertTrue(f.info("far").begin() > (1L << 31));
            assertArrayEquals(new float[] {1, 2}, f.floats("head"));
            assertArrayEquals(new float[] {7.25f, -1e-3f, 42f}, f.floats("far"));
            assertMessage(assertThrows(ModelFormatException.class, () -> f.bytes("gap")), p, "'gap'", "2 GiB");
        } finally {
            Files.delete(p);
        }
    }

    private static ModelFormatException open(Path p) {
        return assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(p).close());
    }

    static void assertMessage(Exception e, Path file, String... parts) {
        String message = e.getMessage();
        assertTrue(message.contains(file.toString()), () -> "message does not name " + file + ": " + message);
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "message lacks '" + part + "': " + message);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
