package io.llmcp.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmcp.protocol.Json;
import org.junit.jupiter.api.Test;

class ProxySpinTest {
    @Test
    void configSetsTheBudgetsAndMissingValuesTakeTheDefaults() {
        assertThat(ProxySpin.fromConfig(Json.object())).isEqualTo(ProxySpin.ofMicros(100, 100));
        assertThat(ProxySpin.fromConfig(Json.object().put("proxySpinMicros", 250).put("proxyIdleSpinMicros", 20)))
                .isEqualTo(ProxySpin.ofMicros(250, 20));
        ProxySpin off = ProxySpin.fromConfig(Json.object().put("proxySpinMicros", 0));
        assertThat(off.off()).as("turning the reply budget off turns polling off unless the idle one is set").isTrue();
        assertThat(ProxySpin.fromConfig(Json.object().put("proxySpinMicros", -5)).off()).isTrue();
    }

    @Test
    void negativeBudgetsAreRefused() {
        assertThatThrownBy(() -> new ProxySpin(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
