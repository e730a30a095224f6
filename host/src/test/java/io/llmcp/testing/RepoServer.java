package io.llmcp.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

/**
 * A Hugging Face-like model repo on 127.0.0.1: {@code /<repo>/resolve/main/<path>} with real Range and
 * If-Range semantics, an ETag per file and, like the Hub's LFS files, the SHA-256 in {@code X-Linked-Etag}
 * (switchable). Bodies can be throttled so a test can interrupt a download half way.
 */
public final class RepoServer implements AutoCloseable {
    public final MockWebServer server = new MockWebServer();
    public final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    public volatile boolean announceSha256 = true;
    public volatile long throttleBytesPerSecond;
    /** When set, a gated repo: every request without {@code Authorization: Bearer <this>} is answered 401, as the Hub does. */
    public volatile String requiredBearer;

    public RepoServer() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request);
                return answer(request);
            }
        });
        server.start();
    }

    public RepoServer put(String repoPath, byte[] bytes) {
        files.put(repoPath, bytes);
        return this;
    }

    /** Serves every file under {@code dir} (e.g. a generated test model) at its relative path. */
    public RepoServer putDirectory(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return this;
    }

    /** The base URL a ModelConfig uses for repo {@code name}. */
    public String baseUrl(String name) {
        return server.url("/" + name + "/resolve/main/").toString();
    }

    public long bytesServed(String path) {
        return requests.stream().filter(r -> "GET".equals(r.getMethod()) && r.getPath().endsWith("/" + path))
                .mapToLong(RecordedRequest::getBodySize).sum();
    }

    public long getCount(String path) {
        return requests.stream().filter(r -> "GET".equals(r.getMethod()) && r.getPath().endsWith("/" + path)).count();
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private MockResponse answer(RecordedRequest request) {
        String path = request.getPath();
        String bearer = requiredBearer;
        if (bearer != null && !("Bearer " + bearer).equals(request.getHeader("Authorization"))) {
            MockResponse denied = new MockResponse().setResponseCode(401);
            return "HEAD".equals(request.getMethod()) ? denied.setHeader("Content-Length", 0) : denied.setBody("Access to this repo is restricted");
        }
        int at = path.indexOf("/resolve/main/");
        byte[] d = at < 0 ? null : files.get(path.substring(at + "/resolve/main/".length()));
        if (d == null) {
            // A HEAD answer carries no body: writing one would corrupt the next response on the kept-alive connection.
            MockResponse notFound = new MockResponse().setResponseCode(404);
            return "HEAD".equals(request.getMethod()) ? notFound.setHeader("Content-Length", 15) : notFound.setBody("Entry not found");
        }
        String sha = sha256(d);
        String etag = "\"" + sha.substring(0, 16) + "\"";
        long from = 0;
        long to = d.length - 1L;
        String range = request.getHeader("Range");
        String ifRange = request.getHeader("If-Range");
        boolean partial = range != null && (ifRange == null || ifRange.equals(etag) || ifRange.equals("\"" + sha + "\""));
        if (partial) {
            String spec = range.substring("bytes=".length());
            int dash = spec.indexOf('-');
            from = Long.parseLong(spec.substring(0, dash));
            if (dash < spec.length() - 1) to = Math.min(to, Long.parseLong(spec.substring(dash + 1)));
            if (from >= d.length) return new MockResponse().setResponseCode(416).setHeader("Content-Range", "bytes */" + d.length);
        }
        MockResponse r = new MockResponse().setResponseCode(partial ? 206 : 200).setHeader("ETag", etag)
                .setHeader("Accept-Ranges", "bytes");
        if (announceSha256) r.setHeader("X-Linked-Etag", "\"" + sha + "\"").setHeader("X-Linked-Size", d.length);
        if (partial) r.setHeader("Content-Range", "bytes " + from + "-" + to + "/" + d.length);
        long length = to - from + 1;
        if ("HEAD".equals(request.getMethod())) return r.setHeader("Content-Length", length);
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
