package io.llmcp.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmcp.protocol.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FetchSettingsTest {
    @Test
    void defaults() {
        FetchSettings s = FetchSettings.from(Json.object(), Map.of());
        assertThat(s.token()).isNull();
        assertThat(s.tokenHosts()).containsExactly("huggingface.co");
        assertThat(s.rateLimitBytesPerSecond()).isZero();
        assertThat(s.parallelParts()).isEqualTo(4);
        assertThat(s.parallelOnLoopback()).isFalse();
        assertThat(s.userAgent()).startsWith("llmcp/");
    }

    @Test
    void readsTheSectionAndFallsBackToHfToken() throws Exception {
        var section = Json.MAPPER.readTree("""
                {"token":" hf_abc ","tokenHosts":["huggingface.co","hub.lan:8443"],"rateLimitBytesPerSecond":1000000,
                 "allowHttpHosts":["mirror.lan"],"parallelParts":99,"partBytes":1,"connectTimeoutSeconds":3,"readTimeoutSeconds":7,
                 "maxRetries":2,"retryBaseDelayMillis":10}""");
        FetchSettings s = FetchSettings.from(section, Map.of("HF_TOKEN", "hf_env"));
        assertThat(s.token()).isEqualTo("hf_abc");
        assertThat(s.tokenHosts()).containsExactly("huggingface.co", "hub.lan:8443");
        assertThat(s.rateLimitBytesPerSecond()).isEqualTo(1_000_000);
        assertThat(s.allowHttpHosts()).isEqualTo(Set.of("mirror.lan"));
        assertThat(s.parallelParts()).isEqualTo(16);
        assertThat(s.partBytes()).isEqualTo(64 << 10);
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.readTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(s.maxRetries()).isEqualTo(2);
        assertThat(FetchSettings.from(Json.object(), Map.of("HF_TOKEN", "hf_env")).token()).isEqualTo("hf_env");
    }

    @Test
    void authHostMatchingIsExact() {
        AuthInterceptor a = new AuthInterceptor("t", List.of("huggingface.co", "127.0.0.1:8080"));
        assertThat(a.matches(okhttp3.HttpUrl.get("https://huggingface.co/x"))).isTrue();
        assertThat(a.matches(okhttp3.HttpUrl.get("https://HuggingFace.co/x"))).isTrue();
        assertThat(a.matches(okhttp3.HttpUrl.get("https://cdn-lfs.huggingface.co/x"))).isFalse();
        assertThat(a.matches(okhttp3.HttpUrl.get("https://huggingface.co.evil.com/x"))).isFalse();
        assertThat(a.matches(okhttp3.HttpUrl.get("https://huggingface.co:8443/x"))).isFalse();
        assertThat(a.matches(okhttp3.HttpUrl.get("http://127.0.0.1:8080/x"))).isTrue();
        assertThat(a.matches(okhttp3.HttpUrl.get("http://127.0.0.1:8081/x"))).isFalse();
    }
}
