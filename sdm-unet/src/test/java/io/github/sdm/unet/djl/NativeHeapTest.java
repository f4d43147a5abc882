package io.github.sdm.unet.djl;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Freed engine arrays stay in glibc's arenas until a trim hands their pages back. */
class NativeHeapTest {

    @Test
    void aTrimHandsTheFreedArraysPagesBack() throws IOException {
        assumeTrue(NativeHeap.canTrim(), "malloc_trim is glibc's");
        try (NDManager manager = NDManager.newBaseManager()) {
            // freeing a mapped 24 MiB block raises glibc's mmap threshold above the 4 MiB arrays below
            manager.zeros(new Shape(6, 1 << 20)).close();
            List<NDArray> arrays = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                arrays.add(manager.ones(new Shape(1 << 20))); // 4 MiB each, written: resident
            }
            NDArray top = manager.ones(new Shape(1024)); // keeps the freed space below the top of the heap
            arrays.forEach(NDArray::close);
            long freed = anonResidentKiB();
            assertTrue(NativeHeap.trim(), "something was given back");
            long trimmed = anonResidentKiB();
            top.close();
            assertTrue(freed - trimmed > 128 << 10, "anonymous resident set " + freed + " kB after freeing 256 MiB, "
                    + trimmed + " kB after the trim");
        }
    }

    private static long anonResidentKiB() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("RssAnon:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
    }
}
