package io.moezoo.formats;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;

/**
 * Releases a memory mapping immediately (through {@code sun.misc.Unsafe.invokeCleaner}, the
 * supported way on JDK 9+) instead of waiting for garbage collection. If that is unavailable the
 * mapping is left to the collector.
 */
final class Unmapping {

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

    private Unmapping() {}

    /**
     * Unmaps a mapped buffer; callers must not touch it (or any view of it) afterwards.
     *
     * @param buffer a buffer returned by {@code FileChannel.map}
     */
    static void release(ByteBuffer buffer) {
        if (UNSAFE == null || !buffer.isDirect() || buffer.capacity() == 0) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, buffer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Left to the garbage collector.
        }
    }
}
