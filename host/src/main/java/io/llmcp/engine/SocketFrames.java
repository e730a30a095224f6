package io.llmcp.engine;

import io.llmcp.protocol.FrameReader;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native-messaging frames from a <em>non-blocking</em> channel, assembled from whatever bytes have arrived:
 * {@link #poll()} never waits, so the proxy can check the engine socket between other work (its bounded
 * spin) and sleep on a selector otherwise. Not thread-safe: one reader at a time (the proxy's read lock).
 *
 * <p>A frame over the limit is skipped as it streams past, without allocating it, like {@link FrameReader}.
 */
public final class SocketFrames {
    private static final Logger log = LoggerFactory.getLogger(SocketFrames.class);

    private final ReadableByteChannel ch;
    private final int maxFrameBytes;
    /** Bytes received and not yet consumed, between position and limit (kept in read mode). */
    private final ByteBuffer buf;
    private byte[] body;
    private int bodyFilled;
    private long skipLeft;

    public SocketFrames(ReadableByteChannel ch, int bufferBytes, int maxFrameBytes) {
        this.ch = ch;
        this.maxFrameBytes = maxFrameBytes;
        this.buf = ByteBuffer.allocate(bufferBytes).order(ByteOrder.nativeOrder());
        buf.limit(0);
    }

    /**
     * @return the next whole frame, or {@code null} when it has not fully arrived yet
     * @throws EOFException the peer closed the connection (between frames or, worse, inside one)
     */
    public byte[] poll() throws IOException {
        while (true) {
            byte[] frame = takeFromBuffer();
            if (frame != null) return frame;
            int n = fill();
            if (n == 0) return null;
            if (n < 0) {
                boolean inside = body != null || skipLeft > 0 || buf.hasRemaining();
                throw new EOFException(inside ? "the engine closed the connection inside a frame" : "the engine closed the connection");
            }
        }
    }

    /**
     * The next whole frame among the bytes already received, without reading the channel: after a reader woke
     * for readable bytes and took one frame, more may sit in the buffer where a selector cannot see them.
     */
    public byte[] pollBuffered() {
        return takeFromBuffer();
    }

    /** A frame completed from buffered bytes alone, or null when more bytes are needed. */
    private byte[] takeFromBuffer() {
        if (skipLeft > 0) {
            int skip = (int) Math.min(skipLeft, buf.remaining());
            buf.position(buf.position() + skip);
            skipLeft -= skip;
            if (skipLeft > 0) return null;
        }
        if (body == null) {
            if (buf.remaining() < 4) return null;
            long length = Integer.toUnsignedLong(buf.getInt());
            if (length > maxFrameBytes) {
                log.error("skipping a frame of {} bytes from the engine (limit {})", length, maxFrameBytes);
                skipLeft = length;
                return takeFromBuffer();
            }
            body = new byte[(int) length];
            bodyFilled = 0;
        }
        int take = Math.min(body.length - bodyFilled, buf.remaining());
        buf.get(body, bodyFilled, take);
        bodyFilled += take;
        if (bodyFilled < body.length) return null;
        byte[] done = body;
        body = null;
        return done;
    }

    /** Reads what the channel has: a big body straight into its array, anything else into the buffer. */
    private int fill() throws IOException {
        if (body != null && !buf.hasRemaining() && body.length - bodyFilled >= buf.capacity()) {
            int n = ch.read(ByteBuffer.wrap(body, bodyFilled, body.length - bodyFilled));
            if (n > 0) bodyFilled += n;
            // a completed body is picked up by takeFromBuffer (take = 0 from the empty buffer)
            return n;
        }
        buf.compact();
        try {
            return ch.read(buf);
        } finally {
            buf.flip();
        }
    }
}
