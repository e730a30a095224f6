package io.llmcp.engine;

import io.llmcp.protocol.FrameReader;
import io.llmcp.protocol.FrameWriter;
import io.llmcp.protocol.RpcClient;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/** An {@link RpcClient} over an engine socket that has introduced itself ({@code session.hello}). */
public final class EngineRpc {
    private EngineRpc() {
    }

    public static RpcClient open(SocketChannel ch, String origin, String kind) throws Exception {
        RpcClient client = new RpcClient(
                new FrameReader(new BufferedInputStream(SocketStreams.in(ch), 1 << 16), FrameReader.DEFAULT_MAX_FRAME_BYTES, ByteOrder.nativeOrder()),
                new FrameWriter(new BufferedOutputStream(SocketStreams.out(ch), 1 << 16), FrameReader.DEFAULT_MAX_FRAME_BYTES, ByteOrder.nativeOrder()));
        try {
            client.hello(origin, kind).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            ch.close();
            throw e;
        }
        return client;
    }
}
