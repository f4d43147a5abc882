package io.github.sdm.unet.djl.nn;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * A tensor's file mapping: unmapped once its bytes were converted into another array ({@link #release}), or its
 * pages handed back to the page cache while it stays mapped ({@link #evict}).
 *
 * <p>Unmapping: a tensor's file mapping goes once its bytes were converted into another array. The JDK unmaps a
 * {@link MappedByteBuffer} only when a garbage collection finds it unreachable, which a loader that allocates
 * little heap may not see for the whole run: the float32 pages of a model held as float16 or int8 would stay in the
 * resident set (and its peak) beside the converted weights. {@code sun.misc.Unsafe.invokeCleaner} (module
 * {@code jdk.unsupported}) unmaps at once; where it is missing or refuses the buffer (a slice or a duplicate), the
 * mapping is left to the collector, as before.
 */
final class MappedPages {
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;
    /** The memory page size, which madvise's start address must be a multiple of. */
    private static final long PAGE_SIZE;

    static {
        Object unsafe = null;
        Method cleaner = null;
        long pageSize = 4096;
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            unsafe = field.get(null);
            cleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
            pageSize = ((Number) type.getMethod("pageSize").invoke(unsafe)).longValue();
        } catch (ReflectiveOperationException | RuntimeException e) {
            unsafe = null;
            cleaner = null;
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = cleaner;
        PAGE_SIZE = pageSize;
    }

    /** Linux's {@code MADV_DONTNEED}. */
    private static final int MADV_DONTNEED = 4;
    private static final Function MADVISE = madvise();

    private MappedPages() {
    }

    private static Function madvise() {
        if (!Platform.isLinux()) {
            return null; // MADV_DONTNEED means another thing elsewhere (macOS: a hint that may do nothing)
        }
        try {
            return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("madvise");
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
    }

    /** Whether {@link #evict} can work here (Linux, with madvise found). */
    static boolean canEvict() {
        return MADVISE != null;
    }

    /**
     * Drops the resident pages of a read-only file mapping from this process ({@code madvise(MADV_DONTNEED)}) while
     * the mapping stays: the values are unchanged, the next read finds them again in the page cache (a minor
     * fault) or, if the kernel dropped them meanwhile, in the file. Pages at both ends may be shared with the
     * neighbouring tensors of the file; they are dropped too and come back as well on their next read.
     *
     * @param bytes a read-only mapped buffer (anything else is left alone)
     * @return whether the pages were dropped
     */
    static boolean evict(ByteBuffer bytes) {
        if (!(bytes instanceof MappedByteBuffer) || !bytes.isReadOnly() || MADVISE == null || bytes.capacity() == 0) {
            return false;
        }
        long address = Pointer.nativeValue(Native.getDirectBufferPointer(bytes));
        long start = address / PAGE_SIZE * PAGE_SIZE;
        long end = address + bytes.capacity();
        return MADVISE.invokeInt(new Object[] {new Pointer(start), end - start, MADV_DONTNEED}) == 0;
    }

    /**
     * Unmaps {@code bytes} if it is a file mapping; nothing may read it afterwards (no array may view it).
     *
     * @return whether it was unmapped now
     */
    static boolean release(ByteBuffer bytes) {
        if (!(bytes instanceof MappedByteBuffer) || INVOKE_CLEANER == null) {
            return false;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, bytes);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false; // a slice or duplicate: the collector unmaps it later
        }
    }
}
