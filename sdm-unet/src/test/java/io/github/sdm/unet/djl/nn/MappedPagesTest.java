package io.github.sdm.unet.djl.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A converted tensor's file mapping is released at once, a kept one's pages evicted; other buffers are left alone. */
class MappedPagesTest {

    @Test
    void aFileMappingIsUnmappedAndAHeapBufferIsNot(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("t.bin"), new byte[4096]);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, 4096);
            assertTrue(MappedPages.release(mapped), "jdk.unsupported's invokeCleaner unmaps it");
            assertFalse(MappedPages.release(channel.map(FileChannel.MapMode.READ_ONLY, 0, 4096).slice()),
                    "a slice is left to the collector");
        }
        assertFalse(MappedPages.release(ByteBuffer.allocate(16)));
    }

    @Test
    void evictedPagesLeaveTheResidentSetAndReadBackUnchanged(@TempDir Path dir) throws IOException {
        assumeTrue(MappedPages.canEvict(), "madvise(MADV_DONTNEED) is Linux's");
        int size = 64 << 20;
        byte[] content = new byte[size];
        new java.util.Random(3).nextBytes(content);
        Path file = Files.write(dir.resolve("weights.bin"), content);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            // not page-aligned in the file, as a tensor in a safetensors file is not
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 100, size - 100);
            long sum = touch(mapped);
            long resident = fileResidentKiB();
            assertTrue(MappedPages.evict(mapped));
            long evicted = fileResidentKiB();
            assertTrue(resident - evicted > 48 << 10, "file-backed resident set " + resident + " kB, after eviction "
                    + evicted + " kB");
            assertEquals(sum, touch(mapped), "the values read back from the page cache");
            assertEquals(content[12345 + 100], mapped.get(12345));
        }
        assertFalse(MappedPages.evict(ByteBuffer.allocateDirect(4096)), "not a file mapping");
    }

    private static long touch(ByteBuffer buffer) {
        long sum = 0;
        for (int i = 0; i < buffer.capacity(); i += 512) {
            sum += buffer.get(i);
        }
        return sum;
    }

    /** The process's file-backed resident set ({@code RssFile}) in KiB. */
    static long fileResidentKiB() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("RssFile:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
    }
}
