package io.llmcp.proxy;

import io.llmcp.engine.SocketStreams;
import io.llmcp.engine.SocketFrames;
import io.llmcp.engine.EngineLauncher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.FrameReader;
import io.llmcp.protocol.FrameWriter;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The proxy's connection to the engine. After {@code session.hello} a <em>polled</em> link's channel is
 * non-blocking, so two threads can share its read side: whoever holds {@link #readLock} may {@link #poll()} for frames — the
 * proxy's main thread while it spins right after traffic, its engine-reader thread (which sleeps in
 * {@link #awaitReadable()}) otherwise. Writes come from the main thread only and wait on their own
 * selector when the socket buffer is full (a non-blocking write may take part of a frame, or nothing).
 */
final class EngineLink {
    private final SocketChannel channel;
    private final Selector readable;
    private final Selector writable;
    private final SocketFrames frames;
    private final FrameWriter writer;
    final ReentrantLock readLock = new ReentrantLock();
    volatile boolean dead;

    private final boolean polled;
    /** Called before a write waits for room: the writer must not be the one who should read the answers. */
    private final Runnable beforeWriteWaits;

    /**
     * @param polled whether two threads will share the read side ({@link #poll()} never blocking); when not,
     *               the channel stays blocking and {@link #poll()} waits for the next frame
     */
    EngineLink(SocketChannel channel, boolean polled) throws IOException {
        this(channel, polled, () -> { });
    }

    /**
     * @param beforeWriteWaits runs when a write finds the socket full, before it waits: the proxy hands
     *                         reading the engine to its engine-reader there, so the engine's answers keep
     *                         draining while its requests wait (else both sides would wait on each other)
     */
    EngineLink(SocketChannel channel, boolean polled, Runnable beforeWriteWaits) throws IOException {
        this.channel = channel;
        this.polled = polled;
        this.beforeWriteWaits = beforeWriteWaits;
        this.readable = polled ? Selector.open() : null;
        this.writable = polled ? Selector.open() : null;
        this.frames = new SocketFrames(channel, 1 << 16, FrameReader.DEFAULT_MAX_FRAME_BYTES);
        // Anything over 1 MiB is refused at the browser writer with an answer; the engine's cap is the usual one.
        this.writer = new FrameWriter(new BufferedOutputStream(new NonBlockingOut(), 1 << 16),
                FrameReader.DEFAULT_MAX_FRAME_BYTES, ByteOrder.nativeOrder());
    }

    /**
     * The first frame of every connection: who the client is. Waits for the answer (nothing else is in
     * flight), then switches the channel to non-blocking for the pumps.
     */
    void hello(String origin) throws IOException {
        ObjectNode req = Json.object().put("jsonrpc", "2.0").put("id", "proxy-hello").put("method", "session.hello");
        req.putObject("params").put("origin", origin).put("kind", "browser");
        byte[] frame = Json.MAPPER.writeValueAsBytes(req);
        FrameWriter blockingWriter = new FrameWriter(SocketStreams.out(channel), FrameReader.DEFAULT_MAX_FRAME_BYTES, ByteOrder.nativeOrder());
        blockingWriter.write(frame);
        // Unbuffered on purpose: nothing may be read past the answer before the channel turns non-blocking.
        byte[] answer = new FrameReader(SocketStreams.in(channel), FrameReader.DEFAULT_MAX_FRAME_BYTES, ByteOrder.nativeOrder()).read();
        if (answer == null) throw new IOException("the engine closed the connection during session.hello");
        JsonNode reply = Json.MAPPER.readTree(answer);
        if (reply.has("error")) {
            throw new RpcException(reply.path("error").path("code").asInt(ErrorCodes.ENGINE_UNAVAILABLE),
                    "the engine refused session.hello: " + reply.path("error").path("message").asText());
        }
        if (!polled) return;
        channel.configureBlocking(false);
        channel.register(readable, SelectionKey.OP_READ);
        channel.register(writable, SelectionKey.OP_WRITE);
    }

    /** Forwards one frame to the engine (callers: the proxy's main thread only). */
    void write(byte[] frame) throws IOException {
        writer.write(frame);
    }

    /**
     * The next whole frame from the engine if it has arrived, else null (a link that is not polled waits for
     * it instead). Hold {@link #readLock}.
     */
    byte[] poll() throws IOException {
        return frames.poll();
    }

    /** The next whole frame already read from the socket, else null; never touches the socket. Hold {@link #readLock}. */
    byte[] pollBuffered() {
        return frames.pollBuffered();
    }

    /** Sleeps until the engine socket has bytes (or end of stream); at once for a link that is not polled. */
    void awaitReadable() throws IOException {
        if (!polled) return;
        try {
            readable.select();
        } catch (ClosedSelectorException e) {
            throw new ClosedChannelException();
        }
        readable.selectedKeys().clear();
    }

    void close() {
        dead = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
        if (!polled) return;
        readable.wakeup();
        writable.wakeup();
        try {
            readable.close();
            writable.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Writes all of it to the non-blocking channel, sleeping on the write selector while the buffer is full. */
    private final class NonBlockingOut extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                if (channel.write(buf) == 0) {
                    if (dead) throw new ClosedChannelException();
                    beforeWriteWaits.run();
                    try {
                        writable.select(100);
                    } catch (ClosedSelectorException e) {
                        throw new ClosedChannelException();
                    }
                    writable.selectedKeys().clear();
                }
            }
        }
    }
}
