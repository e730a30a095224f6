package io.llmcp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An RpcSession served over a loopback socket pair, with a raw client side that can send any bytes and
 * records every frame the host writes (so tests can check sizes and order).
 */
final class WireHarness implements AutoCloseable {
    final RpcSession session;
    final Thread serverThread;
    final ExecutorService workers = Executors.newCachedThreadPool();
    final Socket client;
    final FrameWriter clientWriter;
    final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    final List<Integer> frameSizes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Socket serverSide;

    WireHarness(MethodRegistry registry, int maxIncoming) throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            client = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort());
            serverSide = ss.accept();
        }
        session = new RpcSession(
                new FrameReader(serverSide.getInputStream(), maxIncoming, ByteOrder.nativeOrder()),
                new FrameWriter(serverSide.getOutputStream()), registry, workers, "test");
        serverThread = new Thread(() -> session.run(2_000), "session");
        serverThread.start();
        clientWriter = new FrameWriter(client.getOutputStream(), Integer.MAX_VALUE, ByteOrder.nativeOrder());
        Thread reader = new Thread(() -> {
            try {
                FrameReader r = new FrameReader(client.getInputStream(), Integer.MAX_VALUE, ByteOrder.nativeOrder());
                byte[] f;
                while ((f = r.read()) != null) {
                    frameSizes.add(f.length);
                    received.add(f);
                }
            } catch (IOException ignored) {
                // closed
            }
        }, "client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    void sendRaw(byte[] payload) throws IOException {
        clientWriter.write(payload);
    }

    void send(String json) throws IOException {
        sendRaw(json.getBytes(StandardCharsets.UTF_8));
    }

    void request(Object id, String method, ObjectNode params) throws IOException {
        ObjectNode msg = Json.object().put("jsonrpc", "2.0").put("method", method);
        msg.set("id", Json.MAPPER.valueToTree(id));
        if (params != null) msg.set("params", params);
        sendRaw(Json.MAPPER.writeValueAsBytes(msg));
    }

    JsonNode next() throws Exception {
        byte[] f = received.poll(10, TimeUnit.SECONDS);
        if (f == null) throw new AssertionError("no frame from the host within 10 s");
        return Json.MAPPER.readTree(f);
    }

    /** Reads frames until the response (not a notification) for {@code id} arrives. */
    JsonNode responseFor(Object id) throws Exception {
        String want = Json.MAPPER.valueToTree(id).toString();
        while (true) {
            JsonNode m = next();
            if (m.has("id") && m.get("id").toString().equals(want)) return m;
        }
    }

    void closeClientOutput() throws IOException {
        client.shutdownOutput();
    }

    @Override
    public void close() throws Exception {
        client.close();
        serverThread.join(5_000);
        serverSide.close();
        workers.shutdownNow();
    }
}
