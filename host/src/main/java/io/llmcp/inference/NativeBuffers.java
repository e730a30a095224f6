package io.llmcp.inference;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct buffers for model bytes, and freeing them the moment they are no longer needed: waiting for the
 * garbage collector would keep a second copy of a multi-GB model alive for an unbounded time. Freeing goes
 * through {@code sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported, readable from the classpath).
 */
public final class NativeBuffers {
    private static final Logger log = LoggerFactory.getLogger(NativeBuffers.class);
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method cleaner = null;
        try {
            Class<?> c = Class.forName("sun.misc.Unsafe");
            Field f = c.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe = f.get(null);
            cleaner = c.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("cannot free direct buffers eagerly ({}); they are freed by the GC instead", e.toString());
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = cleaner;
    }

    private NativeBuffers() {
    }

    /** A little-endian direct buffer (ONNX stores tensor data little-endian). */
    public static ByteBuffer allocate(long size, String what) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(what + " is " + size + " bytes; one buffer holds at most 2 GiB");
        }
        try {
            return ByteBuffer.allocateDirect((int) size).order(ByteOrder.LITTLE_ENDIAN);
        } catch (OutOfMemoryError e) {
            throw new IllegalStateException("not enough direct memory for " + what + " (" + size
                    + " bytes); raise -XX:MaxDirectMemorySize or free memory", e);
        }
    }

    /** Releases {@code buffer}'s native memory now. Only for buffers this process allocated and no longer uses. */
    public static void free(ByteBuffer buffer) {
        if (buffer == null || !buffer.isDirect() || INVOKE_CLEANER == null) return;
        try {
            INVOKE_CLEANER.invoke(UNSAFE, buffer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("could not free a direct buffer eagerly: {}", e.toString());
        }
    }
}
