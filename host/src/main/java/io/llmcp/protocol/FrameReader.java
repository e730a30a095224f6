package io.llmcp.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads native-messaging frames: a 4-byte length in the platform's native byte order, then that many
 * bytes of UTF-8 JSON. Works on any {@link InputStream}, so stdio and a local socket share it.
 *
 * <p>A frame longer than {@code maxFrameBytes} is refused as soon as its header is read, <em>without</em>
 * allocating it: the caller gets an {@link OversizedFrameException} to answer with an error at once. When
 * the length is plausible (at most {@link #SKIP_FACTOR} times the limit) the next {@link #read()} skips its
 * body in small pieces so the stream stays in step with the sender; an absurd length (a corrupt header, a
 * length in the wrong byte order) means the stream cannot be trusted to be in step any more:
 * {@link OversizedFrameException#resynchronisable} is false and the caller closes the connection.
 *
 * <p>A body is read into a buffer that grows as its bytes arrive, so a header announcing a large frame
 * costs nothing until the bytes come.
 */
public final class FrameReader {
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
    /** An oversized frame up to this many times the limit is skipped; a longer one ends the connection. */
    public static final long SKIP_FACTOR = 4;
    /** First buffer for a body; it doubles as bytes arrive. */
    private static final int FIRST_CHUNK = 64 * 1024;

    private final InputStream in;
    private final int maxFrameBytes;
    private final ByteOrder order;
    private final byte[] header = new byte[4];
    /** Body bytes of a refused frame still to skip before the next header. */
    private long skipPending;

    public FrameReader(InputStream in) {
        this(in, DEFAULT_MAX_FRAME_BYTES, ByteOrder.nativeOrder());
    }

    public FrameReader(InputStream in, int maxFrameBytes, ByteOrder order) {
        if (maxFrameBytes <= 0) throw new IllegalArgumentException("maxFrameBytes must be positive");
        this.in = in;
        this.maxFrameBytes = maxFrameBytes;
        this.order = order;
    }

    /**
     * @return the next frame's payload, or {@code null} on a clean end of stream (EOF between frames)
     * @throws TruncatedFrameException the stream ended inside a frame
     * @throws OversizedFrameException the frame was over the limit and has been skipped
     */
    public byte[] read() throws IOException {
        if (skipPending > 0) {
            long skip = skipPending;
            skipPending = 0;
            skipFully(skip);
        }
        int got = readFully(header, 0, 4);
        if (got == 0) return null;
        if (got < 4) throw new TruncatedFrameException("stream ended inside a frame header (" + got + " of 4 bytes)");
        long length = Integer.toUnsignedLong(ByteBuffer.wrap(header).order(order).getInt());
        if (length > maxFrameBytes) {
            boolean skippable = length <= SKIP_FACTOR * maxFrameBytes;
            if (skippable) skipPending = length;
            throw new OversizedFrameException(length, maxFrameBytes, skippable);
        }
        return readBody((int) length);
    }

    /** Reads a body of {@code length} bytes into a buffer grown as they arrive. */
    private byte[] readBody(int length) throws IOException {
        byte[] body = new byte[Math.min(length, FIRST_CHUNK)];
        int filled = 0;
        while (filled < length) {
            if (filled == body.length) body = java.util.Arrays.copyOf(body, (int) Math.min(length, 2L * body.length));
            int r = in.read(body, filled, body.length - filled);
            if (r < 0) {
                throw new TruncatedFrameException("stream ended inside a frame body (" + filled + " of " + length + " bytes)");
            }
            filled += r;
        }
        return body;
    }

    /**
     * Whether {@link #read()} would return a whole frame without waiting, as far as the stream can tell: its
     * header and body have arrived. False when unsure (a stream without mark/reset, or whose
     * {@code available()} does not know). Lets a caller that polls several sources check this one cheaply.
     */
    public boolean frameReady() throws IOException {
        int available = in.available();
        if (available < 4 || !in.markSupported()) return false;
        in.mark(4);
        try {
            if (readFully(header, 0, 4) < 4) return false;
        } finally {
            in.reset();
        }
        long length = Integer.toUnsignedLong(ByteBuffer.wrap(header).order(order).getInt());
        return available - 4L >= length;
    }

    private int readFully(byte[] buf, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int r = in.read(buf, off + total, len - total);
            if (r < 0) break;
            total += r;
        }
        return total;
    }

    private void skipFully(long length) throws IOException {
        byte[] scratch = new byte[8192];
        long left = length;
        while (left > 0) {
            int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (r < 0) throw new EOFException("stream ended while skipping an oversized frame of " + length + " bytes");
            left -= r;
        }
    }

    /**
     * A frame whose declared length exceeds the configured maximum, refused before any of its body was read.
     * When {@link #resynchronisable}, the next {@link #read()} skips it; else the stream is out of step.
     */
    public static final class OversizedFrameException extends IOException {
        public final long length;
        public final int limit;
        public final boolean resynchronisable;

        OversizedFrameException(long length, int limit, boolean resynchronisable) {
            super("frame of " + length + " bytes exceeds the limit of " + limit + " bytes; "
                    + (resynchronisable ? "skipped" : "the length is implausible, so the stream is out of step: closing"));
            this.length = length;
            this.limit = limit;
            this.resynchronisable = resynchronisable;
        }
    }

    /** The stream ended in the middle of a frame: the peer died or the stream is not frames. */
    public static final class TruncatedFrameException extends EOFException {
        TruncatedFrameException(String message) {
            super(message);
        }
    }
}
