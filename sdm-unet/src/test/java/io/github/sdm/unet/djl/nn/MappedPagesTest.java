package io.github.sdm.unet.djl.nn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A converted tensor's file mapping is released at once; other buffers are left alone. */
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
}
