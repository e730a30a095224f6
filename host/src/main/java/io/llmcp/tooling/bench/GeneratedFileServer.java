package io.llmcp.tooling.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP server for benchmarks: serves one file of {@code size} incompressible bytes (a 16 MiB random
 * block, repeated with a twist every {@link #TWIST} bytes so no two store chunks are equal and the store cannot
 * deduplicate any of them) with Range and a strong ETag, generated on the fly so a 1 GiB file costs no memory or disk.
 */
final class GeneratedFileServer implements AutoCloseable {
    private static final int BLOCK = 16 << 20;
    /** Every MiB starts with its own index: a twist per 16 MiB block left three of four 4 MiB chunks equal. */
    static final int TWIST = 1 << 20;
    private final byte[] pattern = new byte[BLOCK];
    private final long size;
    private final HttpServer server;
    private final ExecutorService executor;
    private final long perConnectionBytesPerSecond;

    /** @param perConnectionBytesPerSecond 0 = as fast as it goes; else caps each response, as many CDNs do */
    GeneratedFileServer(long size, long perConnectionBytesPerSecond) throws IOException {
        this(size, perConnectionBytesPerSecond, 1234);
    }

    /** @param seed of the random block: servers with different seeds share no chunk */
    GeneratedFileServer(long size, long perConnectionBytesPerSecond, long seed) throws IOException {
        this.size = size;
        this.perConnectionBytesPerSecond = perConnectionBytesPerSecond;
        new Random(seed).nextBytes(pattern);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "bench-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/org/repo/resolve/main/onnx/model.onnx";
    }

    /** Byte {@code pos} of the file: the pattern, with the first 8 bytes of each MiB m replaced by m. */
    private void fill(long pos, byte[] out, int len) {
        int off = 0;
        while (off < len) {
            long piece = pos / TWIST;
            int in = (int) (pos % TWIST);
            int n = Math.min(len - off, TWIST - in);
            System.arraycopy(pattern, (int) (pos % BLOCK), out, off, n);
            for (int i = in; i < 8 && i < in + n; i++) out[off + i - in] = (byte) (piece >>> (8 * i));
            off += n;
            pos += n;
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            long from = 0;
            long to = size - 1;
            String range = ex.getRequestHeaders().getFirst("Range");
            String ifRange = ex.getRequestHeaders().getFirst("If-Range");
            boolean partial = range != null && range.startsWith("bytes=") && (ifRange == null || ifRange.equals("\"bench\""));
            if (partial) {
                String spec = range.substring(6);
                int dash = spec.indexOf('-');
                from = Long.parseLong(spec.substring(0, dash));
                if (dash < spec.length() - 1) to = Math.min(to, Long.parseLong(spec.substring(dash + 1)));
                ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + size);
            }
            ex.getResponseHeaders().set("ETag", "\"bench\"");
            ex.getResponseHeaders().set("Accept-Ranges", "bytes");
            long length = to - from + 1;
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(partial ? 206 : 200, head ? -1 : length);
            if (head) return;
            byte[] buf = new byte[perConnectionBytesPerSecond > 0 ? 64 << 10 : 1 << 20];
            OutputStream out = ex.getResponseBody();
            long pos = from;
            long start = System.nanoTime();
            while (pos <= to) {
                int n = (int) Math.min(buf.length, to - pos + 1);
                fill(pos, buf, n);
                out.write(buf, 0, n);
                pos += n;
                if (perConnectionBytesPerSecond > 0) pace(start, pos - from);
            }
        } catch (IOException e) {
            // the client went away (cancel or a dropped part): nothing to do
        }
    }

    private void pace(long start, long sent) {
        long due = start + (long) (sent * 1e9 / perConnectionBytesPerSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
