package io.llmcp.fetch;

import static io.llmcp.Coded.coded;
import static io.llmcp.fetch.FetchTesting.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmcp.protocol.ErrorCodes;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

class HeadProbeTest {
    private static final String SHA = "8a5f2bd2f54c9e0b3f1c8f1d2f3e4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5";

    @Test
    void lfsRedirectGivesShaSizeAndRevisionWithoutTouchingTheCdn() throws Exception {
        try (MockWebServer hub = new MockWebServer(); MockWebServer cdn = new MockWebServer();
             Downloader d = new Downloader(settings())) {
            cdn.start();
            hub.enqueue(new MockResponse().setResponseCode(302)
                    .setHeader("Location", cdn.url("/blob?sig=x").toString())
                    .setHeader("X-Linked-Etag", "\"" + SHA + "\"")
                    .setHeader("X-Linked-Size", "123456789")
                    .setHeader("X-Repo-Commit", "abc123")
                    .setHeader("ETag", "\"" + SHA + "\""));
            hub.start();
            RemoteFile f = d.head(hub.url("/org/repo/resolve/main/onnx/model.onnx").toString(), null);
            assertThat(f.size()).isEqualTo(123456789L);
            assertThat(f.sha256()).isEqualTo(SHA);
            assertThat(f.revision()).isEqualTo("abc123");
            assertThat(f.finalUrl()).isEqualTo(cdn.url("/blob?sig=x").toString());
            assertThat(hub.takeRequest().getMethod()).isEqualTo("HEAD");
            assertThat(cdn.getRequestCount()).isZero();
        }
    }

    @Test
    void plainFileFollowsRedirectsAndKeepsGitEtagAsNoSha() throws Exception {
        try (MockWebServer hub = new MockWebServer(); Downloader d = new Downloader(settings())) {
            hub.enqueue(new MockResponse().setResponseCode(307).setHeader("Location", "/renamed/config.json"));
            hub.enqueue(new MockResponse().setHeader("ETag", "W/\"0123456789abcdef0123456789abcdef01234567\"")
                    .setHeader("X-Repo-Commit", "c0ffee").setHeader("Content-Length", "42"));
            hub.start();
            RemoteFile f = d.head(hub.url("/org/repo/resolve/main/config.json").toString(), null);
            assertThat(f.size()).isEqualTo(42);
            assertThat(f.sha256()).isNull();
            assertThat(f.etag()).isEqualTo("W/\"0123456789abcdef0123456789abcdef01234567\"");
            assertThat(f.revision()).isEqualTo("c0ffee");
            assertThat(f.finalUrl()).endsWith("/renamed/config.json");
        }
    }

    @Test
    void etagThatIsASha256IsTheSha() throws Exception {
        try (MockWebServer s = new MockWebServer(); Downloader d = new Downloader(settings())) {
            s.enqueue(new MockResponse().setHeader("ETag", "\"" + SHA.toUpperCase() + "\"").setHeader("Content-Length", "7"));
            s.start();
            assertThat(d.head(s.url("/x").toString(), null).sha256()).isEqualTo(SHA);
        }
    }

    @Test
    void missingAndGatedFilesAreCodedErrors() throws Exception {
        try (MockWebServer s = new MockWebServer(); Downloader d = new Downloader(settings())) {
            s.enqueue(new MockResponse().setResponseCode(404));
            s.enqueue(new MockResponse().setResponseCode(401));
            s.start();
            assertThatThrownBy(() -> d.head(s.url("/missing").toString(), null))
                    .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.HTTP_NOT_FOUND)));
            assertThatThrownBy(() -> d.head(s.url("/gated").toString(), null))
                    .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.HTTP_UNAUTHORIZED)));
        }
    }

    @Test
    void sha256FromEtagAcceptsOnlySha256Tags() {
        assertThat(RemoteFile.sha256FromEtag("\"" + SHA + "\"")).isEqualTo(SHA);
        assertThat(RemoteFile.sha256FromEtag("W/\"" + SHA + "\"")).isEqualTo(SHA);
        assertThat(RemoteFile.sha256FromEtag(SHA)).isEqualTo(SHA);
        for (String bad : List.of("\"abc\"", "\"" + SHA.substring(1) + "\"", "\"" + SHA.replace('8', 'g') + "\"", "")) {
            assertThat(RemoteFile.sha256FromEtag(bad)).isNull();
        }
        assertThat(RemoteFile.sha256FromEtag(null)).isNull();
    }
}
