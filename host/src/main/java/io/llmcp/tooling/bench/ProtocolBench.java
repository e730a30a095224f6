package io.llmcp.tooling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.FrameReader;
import io.llmcp.protocol.FrameWriter;
import io.llmcp.protocol.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Round trips over real pipes to a child process. The measured path is what a browser does: serialise a
 * JSON-RPC request, frame it, and parse the framed JSON answer of a real {@code native-host}. The baseline
 * is the same frames through the same kind of pipes to a child that echoes bytes without touching JSON.
 */
public final class ProtocolBench {
    private ProtocolBench() {
    }

    public static LatencyStats rpc(Path home, int warmup, int count) throws IOException, InterruptedException {
        Process p = ChildProcesses.start(home, "native-host", "--no-engine");
        try {
            FrameWriter w = new FrameWriter(new BufferedOutputStream(p.getOutputStream()), Integer.MAX_VALUE, ByteOrder.nativeOrder());
            FrameReader r = new FrameReader(new BufferedInputStream(p.getInputStream()), Integer.MAX_VALUE, ByteOrder.nativeOrder());
            run(w, r, warmup, true);
            return run(w, r, count, true);
        } finally {
            p.getOutputStream().close();
            p.waitFor();
        }
    }

    public static LatencyStats rawEcho(Path home, int warmup, int count) throws IOException, InterruptedException {
        Process p = ChildProcesses.start(home, "bench", "echo-child");
        try {
            FrameWriter w = new FrameWriter(new BufferedOutputStream(p.getOutputStream()), Integer.MAX_VALUE, ByteOrder.nativeOrder());
            FrameReader r = new FrameReader(new BufferedInputStream(p.getInputStream()), Integer.MAX_VALUE, ByteOrder.nativeOrder());
            run(w, r, warmup, false);
            return run(w, r, count, false);
        } finally {
            p.getOutputStream().close();
            p.waitFor();
        }
    }

    private static LatencyStats run(FrameWriter w, FrameReader r, int count, boolean json) throws IOException {
        long[] lat = new long[count];
        byte[] fixed = request(0);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            if (json) {
                w.write(request(i));
                JsonNode answer = Json.MAPPER.readTree(r.read());
                if (answer.path("result").path("value").asInt(-1) != i) throw new IllegalStateException("bad answer " + answer);
            } else {
                w.write(fixed);
                if (r.read().length != fixed.length) throw new IllegalStateException("bad echo");
            }
            lat[i] = System.nanoTime() - t0;
        }
        return LatencyStats.of(lat, System.nanoTime() - start);
    }

    private static byte[] request(int i) throws IOException {
        ObjectNode msg = Json.object().put("jsonrpc", "2.0").put("id", i).put("method", "host.echo");
        msg.putObject("params").put("value", i);
        return Json.MAPPER.writeValueAsBytes(msg);
    }

    /** The baseline child: frames in, the same bytes out, no JSON. */
    public static void echoFrames() throws IOException {
        FrameReader r = new FrameReader(new BufferedInputStream(io.llmcp.app.Stdio.stdin()), Integer.MAX_VALUE, ByteOrder.nativeOrder());
        FrameWriter w = new FrameWriter(new BufferedOutputStream(io.llmcp.app.Stdio.stdout()), Integer.MAX_VALUE, ByteOrder.nativeOrder());
        byte[] f;
        while ((f = r.read()) != null) w.write(f);
    }
}
