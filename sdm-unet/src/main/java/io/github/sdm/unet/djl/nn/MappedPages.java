package io.github.sdm.unet.djl.nn;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Unmaps a tensor's file mapping once its bytes were converted into another array. The JDK unmaps a
 * {@link MappedByteBuffer} only when a garbage collection finds it unreachable, which a loader that allocates
 * little heap may not see for the whole run: the float32 pages of a model held as float16 or int8 would stay in the
 * resident set (and its peak) beside the converted weights. {@code sun.misc.Unsafe.invokeCleaner} (module
 * {@code jdk.unsupported}) unmaps at once; where it is missing or refuses the buffer (a slice or a duplicate), the
 * mapping is left to the collector, as before.
 */
final class MappedPages {
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method cleaner = null;
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            unsafe = field.get(null);
            cleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unsafe = null;
            cleaner = null;
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = cleaner;
    }

    private MappedPages() {
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
