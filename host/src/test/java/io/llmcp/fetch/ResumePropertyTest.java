package io.llmcp.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmcp.protocol.CancellationToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ResumePropertyTest {
    /** However the body is cut across dropped connections, the resumed file has the same SHA-256. */
    @Property(tries = 25)
    void anySplitAcrossDropsResumesToTheSameSha(@ForAll @IntRange(min = 1, max = 200_000) int size,
                                                @ForAll @Size(max = 4) List<@IntRange(min = 0, max = 200_000) Integer> drops,
                                                @ForAll boolean parallel) throws Exception {
        byte[] data = FileServer.randomBytes(size, size);
        Path dir = Files.createTempDirectory("resume");
        FetchSettings s = FetchTesting.settings().withRetries(drops.size() + 1, java.time.Duration.ofMillis(1));
        if (parallel) s = s.withParallel(3, 0, 64 << 10).withParallelOnLoopback(true);
        try (FileServer server = new FileServer(data); Downloader d = new Downloader(s)) {
            for (int n : drops) server.fault(new FileServer.Drop(n));
            DownloadResult r = d.download(new DownloadRequest("m", server.url("/m"), FetchTesting.sha256(data), size),
                    new FileDownloadTarget(dir.resolve("m")), null, CancellationToken.none());
            assertThat(r.sha256()).isEqualTo(FetchTesting.sha256(data));
            assertThat(Files.readAllBytes(dir.resolve("m"))).isEqualTo(data);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) Files.delete(p);
            }
            Files.delete(dir);
        }
    }
}
