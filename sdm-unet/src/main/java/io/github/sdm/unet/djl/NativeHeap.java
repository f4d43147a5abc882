package io.github.sdm.unet.djl;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * glibc's {@code malloc_trim(0)}: hands the free memory of the allocator's arenas back to the kernel. The engine
 * allocates weights and activations below glibc's mmap threshold (at most 32 MiB) from its arenas, and freeing them
 * leaves the pages with the process: without a trim, the memory of a network released at the end of its stage (int8
 * weights, for one) stays in the resident set through the next stage. Elsewhere (no glibc) nothing happens.
 */
final class NativeHeap {
    private static final Function MALLOC_TRIM = find();

    private NativeHeap() {
    }

    private static Function find() {
        if (!Platform.isLinux()) {
            return null;
        }
        try {
            return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("malloc_trim");
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null; // a C library without malloc_trim (musl)
        }
    }

    /** Whether this C library can trim (glibc). */
    static boolean canTrim() {
        return MALLOC_TRIM != null;
    }

    /**
     * Gives the arenas' free pages back to the kernel.
     *
     * @return whether any memory was given back
     */
    static boolean trim() {
        return MALLOC_TRIM != null && MALLOC_TRIM.invokeInt(new Object[] {0L}) == 1;
    }
}
