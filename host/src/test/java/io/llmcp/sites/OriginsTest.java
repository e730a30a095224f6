package io.llmcp.sites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OriginsTest {
    @Test
    void anyUrlOfASiteGivesItsOrigin() {
        assertThat(Origins.normalize("HTTPS://Example.COM:443/a/b?c#d")).isEqualTo("https://example.com");
        assertThat(Origins.normalize(" http://localhost:80 ")).isEqualTo("http://localhost");
        assertThat(Origins.normalize("http://127.0.0.1:8080/page.html")).isEqualTo("http://127.0.0.1:8080");
        assertThat(Origins.normalize("https://[::1]:8443/")).isEqualTo("https://[::1]:8443");
    }

    @Test
    void onlyWebOriginsAreSites() {
        for (String bad : new String[]{"file:///etc/passwd", "chrome-extension://abcdef", "example.com", "https://", "%%"}) {
            assertThatThrownBy(() -> Origins.normalize(bad)).as(bad).isInstanceOf(InvalidOriginException.class);
        }
    }
}
