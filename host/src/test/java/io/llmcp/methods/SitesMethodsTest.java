package io.llmcp.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.HostConfig;
import io.llmcp.host.Host;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sites.* through the composition root: lasting grants survive the host, "allow once" grants do not. */
class SitesMethodsTest {
    @TempDir
    Path dir;

    static JsonNode call(MethodRegistry m, String method, ObjectNode params) throws Exception {
        return m.find(method).orElseThrow().handle(RpcCall.local(method, params, new CancellationToken(), (a, b) -> { }));
    }

    @Test
    void allowGetListRevokeAndPersist() throws Exception {
        try (Host host = new Host(dir, HostConfig.empty(dir), List.of())) {
            MethodRegistry m = host.methods();
            assertThat(call(m, "sites.get", Json.object().put("origin", "http://127.0.0.1:8080")).get("allowed").asBoolean()).isFalse();
            JsonNode allowed = call(m, "sites.allow", Json.object().put("origin", "HTTP://127.0.0.1:8080/page.html").put("model", "tiny"));
            assertThat(allowed.get("origin").asText()).isEqualTo("http://127.0.0.1:8080");
            call(m, "sites.allow", Json.object().put("origin", "https://once.example").put("always", false));
            JsonNode got = call(m, "sites.get", Json.object().put("origin", "http://127.0.0.1:8080"));
            assertThat(got.get("allowed").asBoolean()).isTrue();
            assertThat(got.get("always").asBoolean()).isTrue();
            assertThat(got.get("model").asText()).isEqualTo("tiny");
            assertThat(got.get("preferLocal").asBoolean()).isFalse();
            JsonNode list = call(m, "sites.list", Json.object());
            assertThat(list.get("sites")).hasSize(2);
            assertThat(call(m, "sites.revoke", Json.object().put("origin", "https://once.example:443")).get("revoked").asBoolean()).isTrue();
            assertThat(call(m, "sites.list", Json.object()).get("sites")).hasSize(1);
        }
        try (Host host = new Host(dir, HostConfig.empty(dir), List.of())) {
            MethodRegistry m = host.methods();
            JsonNode list = call(m, "sites.list", Json.object());
            assertThat(list.get("sites")).hasSize(1);
            assertThat(list.get("sites").get(0).get("origin").asText()).isEqualTo("http://127.0.0.1:8080");
            assertThat(call(m, "sites.revoke", Json.object().put("origin", "http://127.0.0.1:8080")).get("revoked").asBoolean()).isTrue();
            assertThat(call(m, "sites.get", Json.object().put("origin", "http://127.0.0.1:8080")).get("allowed").asBoolean()).isFalse();
            assertThat(call(m, "sites.revoke", Json.object().put("origin", "http://127.0.0.1:8080")).get("revoked").asBoolean()).isFalse();
        }
    }

    @Test
    void onceGrantsEndWithTheHost() throws Exception {
        try (Host host = new Host(dir, HostConfig.empty(dir), List.of())) {
            call(host.methods(), "sites.allow", Json.object().put("origin", "https://once.example").put("always", false));
            assertThat(call(host.methods(), "sites.get", Json.object().put("origin", "https://once.example")).get("allowed").asBoolean()).isTrue();
        }
        try (Host host = new Host(dir, HostConfig.empty(dir), List.of())) {
            assertThat(call(host.methods(), "sites.get", Json.object().put("origin", "https://once.example")).get("allowed").asBoolean()).isFalse();
        }
    }

    /** Consent is never read into a damaged record: it counts as no grant, and list leaves it out. */
    @Test
    void anUnreadableRecordIsNoGrant() throws Exception {
        try (Host host = new Host(dir, HostConfig.empty(dir), List.of())) {
            MethodRegistry m = host.methods();
            ObjectNode junk = Json.object().put("key", "llmcp.sites/https://a.example");
            junk.putArray("value").add(1);
            call(m, "data.put", junk);
            call(m, "data.put", Json.object().put("key", "llmcp.sites/https://b.example").put("value", "not a grant"));
            call(m, "data.put", Json.object().put("key", "llmcp.sites/https://c.example").putNull("value"));
            call(m, "data.put", Json.object().put("key", "llmcp.sites/https://d.example").set("value", Json.object()));
            for (String site : new String[]{"https://c.example", "https://d.example"}) {
                assertThat(call(m, "sites.get", Json.object().put("origin", site)).get("allowed").asBoolean()).as(site).isFalse();
            }
            assertThat(call(m, "sites.get", Json.object().put("origin", "https://a.example")).get("allowed").asBoolean()).isFalse();
            assertThat(call(m, "sites.get", Json.object().put("origin", "https://b.example")).get("allowed").asBoolean()).isFalse();
            assertThat(call(m, "sites.list", Json.object()).get("sites")).isEmpty();
        }
    }

    @Test
    void settingsComeFromTheConfig() throws Exception {
        HostConfig config = HostConfig.empty(dir);
        config.set("pageApi.preferLocal", Json.MAPPER.valueToTree(true));
        config.set("pageApi.defaultModel", Json.MAPPER.valueToTree("org/tiny"));
        try (Host host = new Host(dir, config, List.of())) {
            JsonNode got = call(host.methods(), "sites.get", Json.object().put("origin", "https://a.example"));
            assertThat(got.get("preferLocal").asBoolean()).isTrue();
            assertThat(got.get("defaultModel").asText()).isEqualTo("org/tiny");
            assertThat(call(host.methods(), "sites.list", Json.object()).get("defaultModel").asText()).isEqualTo("org/tiny");
        }
    }

    @Test
    void badParamsNameTheirField() throws Exception {
        try (Host host = new Host(dir, HostConfig.empty(dir), List.of())) {
            MethodRegistry m = host.methods();
            for (String bad : new String[]{"file:///etc/passwd", "not a url at all", "chrome-extension://abc", "https://"}) {
                assertThatThrownBy(() -> call(m, "sites.allow", Json.object().put("origin", bad))).as(bad)
                        .isInstanceOfSatisfying(RpcException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
                            assertThat(e.data().get("field").asText()).isEqualTo("origin");
                        });
            }
            assertThatThrownBy(() -> call(m, "sites.allow", Json.object().put("origin", "https://a.example").put("always", "yes")))
                    .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.data().get("field").asText()).isEqualTo("always"));
        }
    }
}
