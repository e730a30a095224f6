package io.llmcp.fetch;

import static io.llmcp.Coded.coded;
import static io.llmcp.fetch.FetchTesting.settings;
import static io.llmcp.fetch.FetchTesting.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelPartsTest {
    private static final int PART = 64 << 10;

    @TempDir
    Path dir;

    private final byte[] data = FileServer.randomBytes(1_000_000, 99);
    private FileServer server;
    private Downloader downloader;

    @AfterEach
    void tearDown() throws IOException {
        if (downloader != null) downloader.close();
        if (server != null) server.close();
    }

    private FetchSettings parallel(int parts) {
        return settings().withParallel(parts, 0, PART).withParallelOnLoopback(true);
    }

    private DownloadResult fetch(FileDownloadTarget target, ProgressListener l, CancellationToken token) {
        return downloader.download(new DownloadRequest("m", server.url("/m"), sha256(data), data.length), target, l,
                token == null ? CancellationToken.none() : token);
    }

    @Test
    void partsProduceIdenticalBytes() throws IOException {
        server = new FileServer(data);
        downloader = new Downloader(parallel(4));
        FetchTesting.Events events = new FetchTesting.Events();
        DownloadResult r = fetch(new FileDownloadTarget(dir.resolve("m")), events, null);
        assertThat(r.sha256()).isEqualTo(sha256(data));
        assertThat(Files.readAllBytes(dir.resolve("m"))).isEqualTo(data);
        int parts = (data.length + PART - 1) / PART;
        assertThat(server.requests).hasSize(parts);
        assertThat(server.requests.get(0).getHeader("Range")).isEqualTo("bytes=0-" + (PART - 1));
        assertThat(server.requests.get(0).getHeader("If-Range")).isNull();
        for (RecordedRequest req : server.requests.subList(1, parts)) assertThat(req.getHeader("If-Range")).isEqualTo("\"v1\"");
        assertThat(events.states()).containsExactly(DownloadState.DOWNLOADING, DownloadState.VERIFYING, DownloadState.DONE);
    }

    @Test
    void serversOnThisMachineGetOneStreamUnlessAskedOtherwise() throws IOException {
        server = new FileServer(data);
        downloader = new Downloader(settings().withParallel(4, 0, PART));
        DownloadResult r = fetch(new FileDownloadTarget(dir.resolve("m")), null, null);
        assertThat(r.sha256()).isEqualTo(sha256(data));
        assertThat(server.requests).hasSize(1);
        assertThat(server.requests.get(0).getHeader("Range")).isNull();
    }

    @Test
    void rateLimitIsSharedByAllParts() throws IOException {
        server = new FileServer(data);
        long limit = 500_000;
        downloader = new Downloader(parallel(4).withRateLimit(limit));
        long start = System.nanoTime();
        DownloadResult r = fetch(new FileDownloadTarget(dir.resolve("m")), null, null);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(r.sha256()).isEqualTo(sha256(data));
        assertThat(server.requests.size()).isGreaterThan(4);
        // four connections together stay under the one limit (a per-connection limit would allow 4x)
        assertThat(data.length / seconds).isLessThan(limit * 1.3);
    }

    @Test
    void droppedPartIsFetchedAgain() throws IOException {
        server = new FileServer(data).fault(new FileServer.None()).fault(new FileServer.Drop(1000)).fault(new FileServer.Drop(0));
        downloader = new Downloader(parallel(3));
        DownloadResult r = fetch(new FileDownloadTarget(dir.resolve("m")), null, null);
        assertThat(r.sha256()).isEqualTo(sha256(data));
        assertThat(Files.readAllBytes(dir.resolve("m"))).isEqualTo(data);
    }

    @Test
    void serverWithoutRangesFallsBackToOneStream() throws IOException {
        server = new FileServer(data);
        server.ignoreRanges = true;
        downloader = new Downloader(parallel(4));
        DownloadResult r = fetch(new FileDownloadTarget(dir.resolve("m")), null, null);
        assertThat(r.sha256()).isEqualTo(sha256(data));
        assertThat(server.requests).hasSize(2);
        assertThat(server.requests.get(1).getHeader("Range")).isNull();
    }

    @Test
    void resumesFromHeldPrefixInParts() throws IOException {
        server = new FileServer(data);
        downloader = new Downloader(parallel(4));
        Files.write(dir.resolve("m.part"), Arrays.copyOf(data, 300_000));
        Files.writeString(dir.resolve("m.part.json"), "{\"etag\":\"\\\"v1\\\"\"}");
        DownloadResult r = fetch(new FileDownloadTarget(dir.resolve("m")), null, null);
        assertThat(r.sha256()).isEqualTo(sha256(data));
        assertThat(r.bytesDownloaded()).isEqualTo(data.length - 300_000);
        assertThat(server.requests.get(0).getHeader("Range")).isEqualTo("bytes=300000-" + (300_000 + PART - 1));
        assertThat(server.requests.get(0).getHeader("If-Range")).isEqualTo("\"v1\"");
    }

    @Test
    void cancelKeepsAnInOrderPrefix() throws IOException {
        server = new FileServer(data);
        server.throttleBytesPerSecond = 200_000;
        downloader = new Downloader(parallel(4));
        CancellationToken token = new CancellationToken();
        FileDownloadTarget target = new FileDownloadTarget(dir.resolve("m"));
        assertThatThrownBy(() -> fetch(target, e -> {
            if (e.bytesDone() >= 2 * PART) token.cancel();
        }, token)).satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.CANCELLED)));
        long kept = target.committedBytes();
        assertThat(kept).isGreaterThanOrEqualTo(2L * PART).isLessThan(data.length);
        target.close();
        assertThat(Files.readAllBytes(dir.resolve("m.part"))).isEqualTo(Arrays.copyOf(data, (int) kept));
    }
}
