package io.llmcp.fetch;

import static io.llmcp.Coded.coded;
import static io.llmcp.fetch.FetchTesting.settings;
import static io.llmcp.fetch.FetchTesting.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmcp.Coded;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {
    @TempDir
    Path dir;

    private final byte[] data = FileServer.randomBytes(300_000, 42);
    private FileServer server;
    private Downloader downloader;

    @AfterEach
    void tearDown() throws IOException {
        if (downloader != null) downloader.close();
        if (server != null) server.close();
    }

    private DownloadResult fetch(String url, FileDownloadTarget target, String sha, long size, ProgressListener l) {
        return downloader.download(new DownloadRequest("onnx/model.onnx", url, sha, size), target, l, CancellationToken.none());
    }

    @Test
    void downloadsAndVerifies() throws IOException {
        server = new FileServer(data);
        downloader = new Downloader(settings());
        FetchTesting.Events events = new FetchTesting.Events();
        FileDownloadTarget target = new FileDownloadTarget(dir.resolve("model.onnx"));
        DownloadResult r = fetch(server.url("/m"), target, sha256(data), data.length, events);
        assertThat(r.sha256()).isEqualTo(sha256(data));
        assertThat(r.size()).isEqualTo(data.length);
        assertThat(r.bytesDownloaded()).isEqualTo(data.length);
        assertThat(r.etag()).isEqualTo("\"v1\"");
        assertThat(Files.readAllBytes(dir.resolve("model.onnx"))).isEqualTo(data);
        assertThat(Files.exists(dir.resolve("model.onnx.part"))).isFalse();
        RecordedRequest req = server.requests.get(0);
        assertThat(req.getHeader("User-Agent")).startsWith("llmcp/");
        assertThat(req.getHeader("Accept-Encoding")).isEqualTo("identity");
        assertThat(req.getHeader("Range")).isNull();
        assertThat(events.states()).containsExactly(DownloadState.DOWNLOADING, DownloadState.VERIFYING, DownloadState.DONE);
        ProgressEvent last = events.events.get(events.events.size() - 1);
        assertThat(last.bytesDone()).isEqualTo(data.length);
        assertThat(last.bytesTotal()).isEqualTo(data.length);
    }

    @Test
    void droppedConnectionResumesWithRangeAndIfRange() throws IOException {
        server = new FileServer(data).fault(new FileServer.Drop(100_000)).fault(new FileServer.Drop(50_000));
        downloader = new Downloader(settings());
        FileDownloadTarget target = new FileDownloadTarget(dir.resolve("m"));
        DownloadResult r = fetch(server.url("/m"), target, sha256(data), -1, null);
        assertThat(r.sha256()).isEqualTo(sha256(data));
        assertThat(server.requests).hasSize(3);
        assertThat(server.requests.get(0).getHeader("Range")).isNull();
        assertThat(server.requests.get(1).getHeader("Range")).isEqualTo("bytes=100000-");
        assertThat(server.requests.get(1).getHeader("If-Range")).isEqualTo("\"v1\"");
        assertThat(server.requests.get(2).getHeader("Range")).isEqualTo("bytes=150000-");
        assertThat(r.bytesDownloaded()).isEqualTo(data.length);
        assertThat(Files.readAllBytes(dir.resolve("m"))).isEqualTo(data);
    }

    @Test
    void resumesAcrossProcessesFromThePartFile() throws IOException {
        server = new FileServer(data).fault(new FileServer.Drop(120_000)).fault(new FileServer.Status(404));
        downloader = new Downloader(settings());
        FileDownloadTarget first = new FileDownloadTarget(dir.resolve("m"));
        // the drop is retried, the retry gets a 404: the download fails but keeps the 120000 bytes it has
        assertThatThrownBy(() -> fetch(server.url("/m"), first, null, -1, null))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.HTTP_NOT_FOUND)));
        first.close();
        assertThat(Files.size(dir.resolve("m.part"))).isEqualTo(120_000);
        FileDownloadTarget second = new FileDownloadTarget(dir.resolve("m"));
        assertThat(second.committedBytes()).isEqualTo(120_000);
        assertThat(second.etag()).isEqualTo("\"v1\"");
        DownloadResult r = fetch(server.url("/m"), second, sha256(data), data.length, null);
        assertThat(r.sha256()).isEqualTo(sha256(data));
        assertThat(r.bytesDownloaded()).isEqualTo(data.length - 120_000);
        RecordedRequest last = server.requests.get(server.requests.size() - 1);
        assertThat(last.getHeader("Range")).isEqualTo("bytes=120000-");
        assertThat(last.getHeader("If-Range")).isEqualTo("\"v1\"");
    }

    @Test
    void changedFileMeansCleanRestart() throws IOException {
        server = new FileServer(data).fault(new FileServer.Drop(100_000)).fault(new FileServer.Status(404));
        downloader = new Downloader(settings());
        FileDownloadTarget target = new FileDownloadTarget(dir.resolve("m"));
        assertThatThrownBy(() -> fetch(server.url("/m"), target, null, -1, null)).satisfies(coded());
        assertThat(target.committedBytes()).isEqualTo(100_000);
        // the file changes on the server: If-Range no longer matches, so the server sends all of it with 200
        byte[] v2 = FileServer.randomBytes(250_000, 7);
        server.data = v2;
        server.etag = "\"v2\"";
        DownloadResult r = fetch(server.url("/m"), target, sha256(v2), v2.length, null);
        assertThat(r.sha256()).isEqualTo(sha256(v2));
        assertThat(r.etag()).isEqualTo("\"v2\"");
        assertThat(Files.readAllBytes(dir.resolve("m"))).isEqualTo(v2);
    }

    @Test
    void rangeIgnoredMeansCleanRestart() throws IOException {
        server = new FileServer(data).fault(new FileServer.Drop(100_000)).fault(new FileServer.IgnoreRange());
        downloader = new Downloader(settings());
        FetchTesting.Events events = new FetchTesting.Events();
        FileDownloadTarget target = new FileDownloadTarget(dir.resolve("m"));
        DownloadResult r = fetch(server.url("/m"), target, sha256(data), data.length, events);
        assertThat(r.sha256()).isEqualTo(sha256(data));
        assertThat(server.requests.get(1).getHeader("Range")).isEqualTo("bytes=100000-");
        assertThat(r.bytesDownloaded()).isEqualTo(100_000 + data.length);
        // progress went back to 0 when the target restarted
        assertThat(events.events).anyMatch(e -> e.bytesDone() == 0 && e.state() == DownloadState.DOWNLOADING);
        assertThat(Files.readAllBytes(dir.resolve("m"))).isEqualTo(data);
    }

    @Test
    void serverErrorIsRetried() throws IOException {
        server = new FileServer(data).fault(new FileServer.Status(500)).fault(new FileServer.Status(503));
        downloader = new Downloader(settings());
        DownloadResult r = fetch(server.url("/m"), new FileDownloadTarget(dir.resolve("m")), sha256(data), -1, null);
        assertThat(r.sha256()).isEqualTo(sha256(data));
        assertThat(server.requests).hasSize(3);
    }

    @Test
    void persistentServerErrorFailsWithStatus() throws IOException {
        server = new FileServer(data);
        for (int i = 0; i < 10; i++) server.fault(new FileServer.Status(502));
        downloader = new Downloader(settings());
        assertThatThrownBy(() -> fetch(server.url("/m"), new FileDownloadTarget(dir.resolve("m")), null, -1, null))
                .satisfies(coded(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.DOWNLOAD_FAILED);
                    assertThat(e.data().path("status").asInt()).isEqualTo(502);
                    assertThat(e.data().path("url").asText()).endsWith("/m");
                }));
        assertThat(server.requests).hasSize(1 + settings().maxRetries());
    }

    @Test
    void shortBodyIsResumedAndPersistentShortBodyFails() throws IOException {
        server = new FileServer(data).fault(new FileServer.LieLength(1000));
        downloader = new Downloader(settings());
        // Content-Length claims 1000 bytes more than the file: the body "breaks off", the resume gets 416 at the
        // real end, and the size the server then states (Content-Range */300000) is what the target holds
        DownloadResult r = fetch(server.url("/m"), new FileDownloadTarget(dir.resolve("m")), sha256(data), -1, null);
        assertThat(r.size()).isEqualTo(data.length);

        for (int i = 0; i < 10; i++) server.fault(new FileServer.Drop(0));
        assertThatThrownBy(() -> fetch(server.url("/m2"), new FileDownloadTarget(dir.resolve("m2")), null, -1, null))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.DOWNLOAD_FAILED)));
    }

    @Test
    void wrongAnnouncedSizeOrShaIsVerifyFailedAndRemovesTheFile() throws IOException {
        server = new FileServer(data);
        downloader = new Downloader(settings());
        assertThatThrownBy(() -> fetch(server.url("/m"), new FileDownloadTarget(dir.resolve("a")), null, data.length + 1L, null))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.VERIFY_FAILED)));
        String wrong = "0".repeat(64);
        FetchTesting.Events events = new FetchTesting.Events();
        assertThatThrownBy(() -> fetch(server.url("/m"), new FileDownloadTarget(dir.resolve("b")), wrong, data.length, events))
                .satisfies(coded(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.VERIFY_FAILED);
                    assertThat(e.getMessage()).contains(sha256(data)).contains("removed");
                }));
        assertThat(dir.resolve("b")).doesNotExist();
        assertThat(dir.resolve("b.part")).doesNotExist();
        ProgressEvent last = events.events.get(events.events.size() - 1);
        assertThat(last.state()).isEqualTo(DownloadState.FAILED);
        assertThat(Coded.of(last.error()).code()).isEqualTo(ErrorCodes.VERIFY_FAILED);
    }

    @Test
    void completeFileAnswered416IsFinished() throws IOException {
        server = new FileServer(data);
        downloader = new Downloader(settings());
        Path file = dir.resolve("m");
        Files.write(dir.resolve("m.part"), data);
        DownloadResult r = fetch(server.url("/m"), new FileDownloadTarget(file), sha256(data), data.length, null);
        assertThat(r.sha256()).isEqualTo(sha256(data));
        assertThat(r.bytesDownloaded()).isZero();
        assertThat(server.requests.get(0).getHeader("Range")).isEqualTo("bytes=300000-");
    }

    @Test
    void httpErrorsSayWhatToDo() throws IOException {
        server = new FileServer(data).fault(new FileServer.Status(401)).fault(new FileServer.Status(403)).fault(new FileServer.Status(404));
        downloader = new Downloader(settings());
        String url = server.url("/gated/model.onnx");
        for (int expected : new int[] {401, 403}) {
            assertThatThrownBy(() -> fetch(url, new FileDownloadTarget(dir.resolve("m" + expected)), null, -1, null))
                    .satisfies(coded(e -> {
                        assertThat(e.code()).isEqualTo(ErrorCodes.HTTP_UNAUTHORIZED);
                        assertThat(e.getMessage()).contains("gated").contains("token").contains(String.valueOf(expected));
                    }));
        }
        assertThatThrownBy(() -> fetch(url, new FileDownloadTarget(dir.resolve("m404")), null, -1, null))
                .satisfies(coded(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.HTTP_NOT_FOUND);
                    assertThat(e.data().path("url").asText()).isEqualTo(url);
                }));
    }

    @Test
    void diskFullIsItsOwnError() throws IOException {
        server = new FileServer(data);
        downloader = new Downloader(settings());
        FileDownloadTarget real = new FileDownloadTarget(dir.resolve("m"));
        DownloadTarget full = new DelegatingTarget(real) {
            @Override
            public void write(java.nio.ByteBuffer b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        assertThatThrownBy(() -> downloader.download(DownloadRequest.of("m", server.url("/m")), full, null, CancellationToken.none()))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.DISK_FULL)));
        assertThat(server.requests).hasSize(1);
    }

    @Test
    void tokenGoesOnlyToTheConfiguredHostNotToTheRedirectTarget() throws Exception {
        server = new FileServer(data);
        try (MockWebServer hub = new MockWebServer()) {
            hub.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", server.url("/cdn/blob?sig=abc")));
            hub.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", server.url("/cdn/blob?sig=def")));
            hub.start();
            String hubHost = hub.getHostName() + ":" + hub.getPort();
            downloader = new Downloader(settings().withToken("hf_secret", List.of(hubHost)));
            String url = hub.url("/org/repo/resolve/main/onnx/model.onnx").toString();
            FileDownloadTarget target = new FileDownloadTarget(dir.resolve("m"));
            server.fault(new FileServer.Drop(100_000));
            DownloadResult r = fetch(url, target, sha256(data), data.length, null);
            assertThat(r.sha256()).isEqualTo(sha256(data));
            assertThat(r.finalUrl()).contains("/cdn/blob");

            RecordedRequest toHub = hub.takeRequest();
            assertThat(toHub.getHeader("Authorization")).isEqualTo("Bearer hf_secret");
            for (RecordedRequest toCdn : server.requests) assertThat(toCdn.getHeader("Authorization")).isNull();
            // the resume went back to the hub (the signed URL may have expired), with the token again
            RecordedRequest resumeAtHub = hub.takeRequest();
            assertThat(resumeAtHub.getPath()).isEqualTo("/org/repo/resolve/main/onnx/model.onnx");
            assertThat(resumeAtHub.getHeader("Authorization")).isEqualTo("Bearer hf_secret");
            assertThat(resumeAtHub.getHeader("Range")).isEqualTo("bytes=100000-");
            assertThat(server.requests.get(1).getPath()).isEqualTo("/cdn/blob?sig=def");
            assertThat(server.requests.get(1).getHeader("Range")).isEqualTo("bytes=100000-");
        }
    }

    @Test
    void tokenIsNotSentToOtherHostsOrPorts() throws IOException {
        server = new FileServer(data);
        downloader = new Downloader(settings().withToken("hf_secret", List.of("huggingface.co", server.server.getHostName() + ":1")));
        fetch(server.url("/m"), new FileDownloadTarget(dir.resolve("m")), null, -1, null);
        assertThat(server.requests.get(0).getHeader("Authorization")).isNull();
    }

    @Test
    void redirectToRefusedUrlIsRefused() throws IOException {
        server = new FileServer(data);
        try (MockWebServer hub = new MockWebServer()) {
            hub.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", server.url("/x").replace("127.0.0.1", "localhost")));
            hub.start();
            // loopback http is allowed only for the hub's address here, so the "localhost" hop counts as foreign
            downloader = new Downloader(settings(), new UrlPolicy(Set.of("127.0.0.1"), false));
            assertThatThrownBy(() -> fetch(hub.url("/m").toString(), new FileDownloadTarget(dir.resolve("m")), null, -1, null))
                    .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.URL_REFUSED)));
            assertThat(server.requests).isEmpty();
        }
    }

    @Test
    void nonHttpsUrlsAreRefusedBeforeAnyRequest() throws IOException {
        downloader = new Downloader(settings());
        for (String url : List.of("http://example.com/model.onnx", "ftp://example.com/x", "file:///etc/passwd", "javascript:alert(1)")) {
            assertThatThrownBy(() -> fetch(url, new FileDownloadTarget(dir.resolve("m")), null, -1, null))
                    .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.URL_REFUSED)));
        }
    }

    @Test
    void slowBodyCompletesWithManyProgressEventsButThrottled() throws IOException {
        server = new FileServer(data);
        server.throttleBytesPerSecond = 400_000;
        downloader = new Downloader(settings());
        FetchTesting.Events events = new FetchTesting.Events();
        long start = System.nanoTime();
        DownloadResult r = fetch(server.url("/m"), new FileDownloadTarget(dir.resolve("m")), sha256(data), data.length, events);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(r.sha256()).isEqualTo(sha256(data));
        long downloading = events.count(DownloadState.DOWNLOADING);
        assertThat(downloading).isGreaterThan(1);
        // ≤ 10 per second plus the first, with slack for scheduling
        assertThat(downloading).isLessThanOrEqualTo((long) (seconds * 10) + 3);
        assertThat(events.states()).containsExactly(DownloadState.DOWNLOADING, DownloadState.VERIFYING, DownloadState.DONE);
        assertThat(events.events).anyMatch(e -> e.state() == DownloadState.DOWNLOADING && e.bytesPerSecond() > 0 && e.etaSeconds() >= 0);
    }

    @Test
    void rateLimitLimits() throws IOException {
        server = new FileServer(data);
        long limit = 200_000;
        downloader = new Downloader(settings().withRateLimit(limit));
        long start = System.nanoTime();
        fetch(server.url("/m"), new FileDownloadTarget(dir.resolve("m")), sha256(data), data.length, null);
        double seconds = (System.nanoTime() - start) / 1e9;
        // 300 kB at 200 kB/s with at most 50 kB of burst: at least 1.25 s; unthrottled it takes milliseconds
        assertThat(data.length / seconds).isLessThan(limit * 1.3);
    }

    @Test
    void cancelMidBodyKeepsTheCommittedPrefixForResume() throws IOException {
        server = new FileServer(data);
        server.throttleBytesPerSecond = 300_000;
        downloader = new Downloader(settings());
        CancellationToken token = new CancellationToken();
        FetchTesting.Events events = new FetchTesting.Events();
        FileDownloadTarget target = new FileDownloadTarget(dir.resolve("m"));
        ProgressListener cancelAt = e -> {
            events.onProgress(e);
            if (e.bytesDone() >= 60_000) token.cancel();
        };
        assertThatThrownBy(() -> downloader.download(DownloadRequest.of("m", server.url("/m")), target, cancelAt, token))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.CANCELLED)));
        assertThat(events.events.get(events.events.size() - 1).state()).isEqualTo(DownloadState.CANCELLED);
        long kept = target.committedBytes();
        // it stopped soon after the cancel (a slow link still reports progress every 100 ms), far from the end
        assertThat(kept).isBetween(60_000L, 150_000L);
        target.close();
        assertThat(Arrays.copyOf(Files.readAllBytes(dir.resolve("m.part")), (int) kept)).isEqualTo(Arrays.copyOf(data, (int) kept));

        server.throttleBytesPerSecond = 0;
        DownloadResult r = fetch(server.url("/m"), new FileDownloadTarget(dir.resolve("m")), sha256(data), data.length, null);
        assertThat(r.bytesDownloaded()).isEqualTo(data.length - kept);
        assertThat(r.sha256()).isEqualTo(sha256(data));
    }
}
