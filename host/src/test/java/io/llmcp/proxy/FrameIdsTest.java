package io.llmcp.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameIdsTest {
    static FrameIds scan(String json) {
        return FrameIds.scan(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsIdsOfRequestsAndResponsesWithoutConfusingNestedIds() {
        FrameIds req = scan("{\"jsonrpc\":\"2.0\",\"params\":{\"id\":99,\"x\":[1,{\"id\":3}]},\"id\":7,\"method\":\"m\"}");
        assertThat(req.isRequest()).isTrue();
        assertThat(req.id().asLong()).isEqualTo(7);
        FrameIds resp = scan("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"result\":{\"id\":1,\"method\":\"no\"}}");
        assertThat(resp.isResponse()).isTrue();
        assertThat(resp.id().asText()).isEqualTo("abc");
        assertThat(scan("{\"id\":7}").key()).isNotEqualTo(scan("{\"id\":\"7\"}").key());
    }

    @Test
    void notificationsAndGarbageHaveNoId() {
        FrameIds n = scan("{\"jsonrpc\":\"2.0\",\"method\":\"models.progress\",\"params\":{\"requestId\":3}}");
        assertThat(n.isRequest()).isFalse();
        assertThat(n.isResponse()).isFalse();
        assertThat(scan("not json").id()).isNull();
        assertThat(scan("[1,2]").id()).isNull();
        assertThat(scan("{\"id\":7,").id()).isNull();
        assertThat(scan("{\"id\":null,\"method\":\"x\"}").isRequest()).isFalse();
    }
}
