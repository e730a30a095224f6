package io.llmcp.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Writes native-messaging frames. Thread-safe: concurrent requests answer through one writer, and each
 * frame (header + body) goes out whole. Chrome and Firefox drop the port on a host→browser message over
 * 1 MiB, so the writer refuses anything larger instead of killing the connection.
 *
 * <p>After {@link #startQueue} the writer is <em>queued</em>: {@link #write} puts the frame on a bounded
 * per-connection queue and returns, and one writer thread sends the queue to the stream. A peer that reads
 * slowly, or not at all, then stalls nobody but the writer thread: {@link #write} waits only while the queue
 * holds {@code capBytes} or more (back-pressure on that connection alone), and once the stream fails every
 * waiting and later frame is discarded at once. Frames are never dropped while the stream works.
 */
public final class FrameWriter {
    public static final int BROWSER_MAX_FRAME_BYTES = 1024 * 1024;
    /** What a queued writer holds for a peer that does not read before its producers wait. */
    public static final long DEFAULT_QUEUE_BYTES = 8L * 1024 * 1024;

    private final OutputStream out;
    private final int maxFrameBytes;
    private final ByteOrder order;

    // queued mode, all guarded by 'queueLock'
    private final Object queueLock = new Object();
    private ArrayDeque<byte[]> queue;
    private long queuedBytes;
    private long capBytes;
    private boolean writing;
    private boolean failed;
    private boolean closing;
    private Thread writerThread;

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

    /**
     * Switches to queued mode (idempotent): from now on {@link #write} enqueues and a daemon thread named
     * {@code threadName} writes.
     */
    public FrameWriter startQueue(long capBytes, String threadName) {
        synchronized (queueLock) {
            if (queue != null) return this;
            this.queue = new ArrayDeque<>();
            this.capBytes = Math.max(1, capBytes);
            writerThread = new Thread(this::drainLoop, threadName);
            writerThread.setDaemon(true);
            writerThread.start();
        }
        return this;
    }

    public void write(byte[] payload) throws IOException {
        if (payload.length > maxFrameBytes) throw new FrameTooLargeException(payload.length, maxFrameBytes);
        synchronized (queueLock) {
            if (queue != null) {
                enqueue(payload);
                return;
            }
        }
        writeNow(payload, true);
    }

    private void writeNow(byte[] payload, boolean flush) throws IOException {
        byte[] header = ByteBuffer.allocate(4).order(order).putInt(payload.length).array();
        synchronized (this) {
            out.write(header);
            out.write(payload);
            if (flush) out.flush();
        }
    }

    /** Call holding queueLock. Waits while the queue is full; discards once the stream has failed. */
    private void enqueue(byte[] payload) throws IOException {
        boolean interrupted = false;
        try {
            while (!failed && queuedBytes > 0 && queuedBytes + payload.length > capBytes) {
                try {
                    queueLock.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // a cancelled worker still gets its answer queued
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
        if (failed) throw new IOException("the connection's output failed; frame discarded");
        queue.addLast(payload);
        queuedBytes += payload.length;
        queueLock.notifyAll();
    }

    /**
     * Waits while the queue is full (a reader of the same connection calls this before taking the next
     * request, so a peer that does not read its answers stops being read). Returns at once when not queued.
     */
    public void awaitRoom() throws InterruptedException {
        synchronized (queueLock) {
            if (queue == null) return;
            while (!failed && !closing && queuedBytes >= capBytes) queueLock.wait();
        }
    }

    /** Bytes waiting in the queue (0 when not queued). */
    public long queuedBytes() {
        synchronized (queueLock) {
            return queuedBytes;
        }
    }

    private void drainLoop() {
        try {
            while (true) {
                byte[] next;
                boolean more;
                synchronized (queueLock) {
                    while (queue.isEmpty() && !closing && !failed) queueLock.wait();
                    if (failed || queue.isEmpty()) return; // closing with nothing left, or failed
                    next = queue.pollFirst();
                    more = !queue.isEmpty();
                    writing = true;
                }
                try {
                    writeNow(next, !more); // flush when the queue runs dry, not per frame
                } catch (IOException e) {
                    synchronized (queueLock) {
                        failed = true;
                        queue.clear();
                        queuedBytes = 0;
                        queueLock.notifyAll();
                    }
                    return;
                } finally {
                    synchronized (queueLock) {
                        writing = false;
                        queuedBytes -= Math.min(queuedBytes, next.length);
                        queueLock.notifyAll();
                    }
                }
            }
        } catch (InterruptedException e) {
            synchronized (queueLock) {
                failed = true;
                queueLock.notifyAll();
            }
        }
    }

    /**
     * Closes the stream. A queued writer first sends what is queued, waiting at most {@code drainMillis}; when
     * the peer does not take it by then, the stream is left to whoever owns the connection (closing it under a
     * blocked write could block too).
     */
    public void close(long drainMillis) throws IOException {
        synchronized (queueLock) {
            if (queue != null) {
                closing = true;
                queueLock.notifyAll();
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
                while (!failed && (!queue.isEmpty() || writing)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return;
                    try {
                        TimeUnit.NANOSECONDS.timedWait(queueLock, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
        synchronized (this) {
            out.close();
        }
    }

    public void close() throws IOException {
        close(5_000);
    }

    /** Raised instead of writing a frame the browser would reject. */
    public static final class FrameTooLargeException extends IOException {
        public FrameTooLargeException(int length, int limit) {
            super("outgoing frame of " + length + " bytes exceeds the limit of " + limit + " bytes");
        }
    }
}
