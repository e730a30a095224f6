package io.llmcp.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes native-messaging frames. Thread-safe: concurrent requests answer through one writer, and each
 * frame (header + body) goes out whole. Chrome and Firefox drop the port on a host→browser message over
 * 1 MiB, so the writer refuses anything larger instead of killing the connection.
 */
public final class FrameWriter {
    public static final int BROWSER_MAX_FRAME_BYTES = 1024 * 1024;

    private final OutputStream out;
    private final int maxFrameBytes;
    private final ByteOrder order;

    public FrameWriter(OutputStream out) {
        this(out, BROWSER_MAX_FRAME_BYTES, ByteOrder.nativeOrder());
    }

    public FrameWriter(OutputStream out, int maxFrameBytes, ByteOrder order) {
        this.out = out;
        this.maxFrameBytes = maxFrameBytes;
        this.order = order;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public void write(byte[] payload) throws IOException {
        if (payload.length > maxFrameBytes) throw new FrameTooLargeException(payload.length, maxFrameBytes);
        byte[] header = ByteBuffer.allocate(4).order(order).putInt(payload.length).array();
        synchronized (this) {
            out.write(header);
            out.write(payload);
            out.flush();
        }
    }

    public void close() throws IOException {
        synchronized (this) {
            out.close();
        }
    }

    /** Raised instead of writing a frame the browser would reject. */
    public static final class FrameTooLargeException extends IOException {
        public FrameTooLargeException(int length, int limit) {
            super("outgoing frame of " + length + " bytes exceeds the limit of " + limit + " bytes");
        }
    }
}
