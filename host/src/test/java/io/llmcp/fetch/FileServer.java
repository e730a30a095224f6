package io.llmcp.fetch;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;

/**
 * A MockWebServer that serves one file with real Range / If-Range semantics, plus scripted faults for the next
 * requests (drop the connection after N bytes, answer a status, ignore the range, throttle the body).
 */
final class FileServer implements AutoCloseable {
    final MockWebServer server = new MockWebServer();
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    volatile byte[] data;
    volatile String etag = "\"v1\"";
    volatile long throttleBytesPerSecond;
    volatile boolean ignoreRanges;

    sealed interface Fault permits None, Drop, Status, IgnoreRange, LieLength {
    }

    /** Answer normally (to script a fault for a later request). */
    record None() implements Fault {
    }

    /** Send the headers for the full answer, then only {@code bytes} of the body, then close. */
    record Drop(long bytes) implements Fault {
    }

    record Status(int code) implements Fault {
    }

    record IgnoreRange() implements Fault {
    }

    /** Claim {@code extra} more bytes in Content-Length than are sent, then close. */
    record LieLength(int extra) implements Fault {
    }

    FileServer(byte[] data) throws IOException {
        this.data = data;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request);
                return answer(request);
            }
        });
        server.start();
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    String url(String path) {
        return server.url(path).toString();
    }

    synchronized FileServer fault(Fault f) {
        faults.add(f);
        return this;
    }

    private synchronized Fault nextFault() {
        return faults.poll();
    }

    private MockResponse answer(RecordedRequest request) {
        Fault fault = nextFault();
        if (fault instanceof Status s) return new MockResponse().setResponseCode(s.code()).setBody("status " + s.code());
        byte[] d = data;
        long from = 0;
        long to = d.length - 1L;
        boolean partial = false;
        String range = request.getHeader("Range");
        String ifRange = request.getHeader("If-Range");
        boolean rangeApplies = range != null && !ignoreRanges && !(fault instanceof IgnoreRange)
                && (ifRange == null || ifRange.equals(etag));
        if (rangeApplies) {
            String spec = range.substring("bytes=".length());
            int dash = spec.indexOf('-');
            from = Long.parseLong(spec.substring(0, dash));
            if (dash < spec.length() - 1) to = Math.min(to, Long.parseLong(spec.substring(dash + 1)));
            if (from >= d.length) {
                return new MockResponse().setResponseCode(416).setHeader("Content-Range", "bytes */" + d.length);
            }
            partial = true;
        }
        MockResponse r = new MockResponse().setResponseCode(partial ? 206 : 200).setHeader("ETag", etag)
                .setHeader("Accept-Ranges", "bytes");
        if (partial) r.setHeader("Content-Range", "bytes " + from + "-" + to + "/" + d.length);
        long length = to - from + 1;
        if ("HEAD".equals(request.getMethod())) return r.setHeader("Content-Length", length);
        if (fault instanceof Drop drop) {
            long n = Math.min(drop.bytes(), length);
            r.setBody(new Buffer().write(d, (int) from, (int) n));
            r.setHeader("Content-Length", length);
            return r.setSocketPolicy(SocketPolicy.DISCONNECT_AT_END);
        }
        if (fault instanceof LieLength lie) {
            r.setBody(new Buffer().write(d, (int) from, (int) length));
            r.setHeader("Content-Length", length + lie.extra());
            return r.setSocketPolicy(SocketPolicy.DISCONNECT_AT_END);
        }
        r.setBody(new Buffer().write(d, (int) from, (int) length));
        long bps = throttleBytesPerSecond;
        if (bps > 0) r.throttleBody(Math.max(1, bps / 20), 50, TimeUnit.MILLISECONDS);
        return r;
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
