package io.llmcp.sites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.HostConfig;
import io.llmcp.app.HostContext;
import io.llmcp.app.Methods;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteMethodsTest {
    @TempDir
    Path dir;

    static JsonNode call(MethodRegistry m, String method, ObjectNode params) throws Exception {
        return m.find(method).orElseThrow().handle(RpcCall.local(method, params, new CancellationToken(), (a, b) -> { }));
    }

    @Test
    void allowGetListRevokeAndPersist() throws Exception {
        try (HostContext ctx = new HostContext(dir, HostConfig.empty(dir))) {
            MethodRegistry m = Methods.create(ctx);
            assertThat(call(m, "sites.get", Json.object().put("origin", "http://127.0.0.1:8080")).get("allowed").asBoolean()).isFalse();
            call(m, "sites.allow", Json.object().put("origin", "HTTP://127.0.0.1:8080/page.html").put("model", "tiny"));
            call(m, "sites.allow", Json.object().put("origin", "https://once.example").put("always", false));
            JsonNode got = call(m, "sites.get", Json.object().put("origin", "http://127.0.0.1:8080"));
            assertThat(got.get("allowed").asBoolean()).isTrue();
            assertThat(got.get("model").asText()).isEqualTo("tiny");
            assertThat(got.get("preferLocal").asBoolean()).isFalse();
            JsonNode list = call(m, "sites.list", Json.object());
            assertThat(list.get("sites")).hasSize(2);
            assertThat(call(m, "sites.revoke", Json.object().put("origin", "https://once.example:443")).get("revoked").asBoolean()).isTrue();
            assertThat(call(m, "sites.list", Json.object()).get("sites")).hasSize(1);
            assertThatThrownBy(() -> call(m, "sites.allow", Json.object().put("origin", "file:///etc/passwd")))
                    .isInstanceOf(RpcException.class);
        }
        try (HostContext ctx = new HostContext(dir, HostConfig.empty(dir))) {
            MethodRegistry m = Methods.create(ctx);
            JsonNode list = call(m, "sites.list", Json.object());
            assertThat(list.get("sites")).hasSize(1);
            assertThat(list.get("sites").get(0).get("origin").asText()).isEqualTo("http://127.0.0.1:8080");
            assertThat(call(m, "sites.revoke", Json.object().put("origin", "http://127.0.0.1:8080")).get("revoked").asBoolean()).isTrue();
            assertThat(call(m, "sites.get", Json.object().put("origin", "http://127.0.0.1:8080")).get("allowed").asBoolean()).isFalse();
        }
    }
}
