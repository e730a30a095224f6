package io.llmcp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An RpcSession between two pipes, as {@code native-host --no-engine} runs between stdin and stdout. Unlike
 * {@link WireHarness} nothing reads the host's output until the test does: a test can write as much as it
 * likes first, as a hostile or merely busy client would.
 */
final class PipeHost implements AutoCloseable {
    final RpcSession session;
    final Thread serverThread;
    final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pipe-host-worker");
        t.setDaemon(true);
        return t;
    });
    final OutputStream toHost;
    final InputStream fromHost;
    private final FrameReader hostFrames;

    PipeHost(MethodRegistry registry, int maxIncoming) throws IOException {
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        session = new RpcSession(new FrameReader(Channels.newInputStream(in.source()), maxIncoming, ByteOrder.nativeOrder()),
                new FrameWriter(Channels.newOutputStream(out.sink())), registry, workers, "test");
        serverThread = new Thread(() -> session.run(2_000), "pipe-host-session");
        serverThread.setDaemon(true);
        serverThread.start();
        toHost = Channels.newOutputStream(in.sink());
        fromHost = Channels.newInputStream(out.source());
        hostFrames = new FrameReader(fromHost, Integer.MAX_VALUE, ByteOrder.nativeOrder());
    }

    static byte[] header(long length) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt((int) length).array();
    }

    void writeRaw(byte[] bytes) throws IOException {
        toHost.write(bytes);
        toHost.flush();
    }

    void writeFrame(byte[] body) throws IOException {
        byte[] f = new byte[body.length + 4];
        System.arraycopy(header(body.length), 0, f, 0, 4);
        System.arraycopy(body, 0, f, 4, body.length);
        writeRaw(f);
    }

    void writeFrame(String json) throws IOException {
        writeFrame(json.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] request(Object id, String method, ObjectNode params) throws IOException {
        ObjectNode msg = Json.object().put("jsonrpc", "2.0").put("method", method);
        msg.set("id", Json.MAPPER.valueToTree(id));
        if (params != null) msg.set("params", params);
        return Json.MAPPER.writeValueAsBytes(msg);
    }

    /** The host's next frame (raw), or null at its end of stream. */
    byte[] nextRaw() throws IOException {
        return hostFrames.read();
    }

    JsonNode next() throws IOException {
        byte[] f = nextRaw();
        return f == null ? null : Json.MAPPER.readTree(f);
    }

    /** Every frame until the host closes its output. */
    List<byte[]> readToEnd() throws IOException {
        List<byte[]> all = new ArrayList<>();
        byte[] f;
        while ((f = nextRaw()) != null) all.add(f);
        return all;
    }

    void closeInput() throws IOException {
        toHost.close();
    }

    @Override
    public void close() throws Exception {
        try {
            toHost.close();
        } catch (IOException ignored) {
            // closed already
        }
        fromHost.close();
        serverThread.join(10_000);
        workers.shutdownNow();
    }
}
