package io.llmcp.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.app.HostConfig;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcCall;
import io.llmcp.engine.EngineServer;
import io.llmcp.store.StoreException;
import io.llmcp.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The composition root: what it starts when, and what it offers. */
class HostTest {
    @TempDir
    Path dir;

    static JsonNode call(MethodRegistry methods, String method) throws Exception {
        return methods.find(method).orElseThrow()
                .handle(RpcCall.local(method, Json.object(), new CancellationToken(), (m, p) -> { }));
    }

    /** host.info answers while another process holds the store: building the table and answering open nothing. */
    @Test
    void hostInfoStartsNoService() throws Exception {
        try (Host host = new Host(dir, HostConfig.empty(dir), List.of())) {
            JsonNode info = call(host.methods(), "host.info");
            assertThat(info.get("methods").toString()).contains("models.pull", "generate", "embed", "store.stats", "data.put");
            assertThat(info.get("dataDir").asText()).isEqualTo(dir.toString());
            assertThat(Files.exists(dir.resolve(Stores.FILE_NAME))).as("the store was not opened").isFalse();
        }
    }

    @Test
    void extraModulesAreRegisteredAndTheStoreClosesWithTheHost() throws Exception {
        try (Host host = new Host(dir, HostConfig.empty(dir), List.of((methods, h) ->
                methods.register("extra.ping", call -> Json.object().put("pong", true))))) {
            MethodRegistry methods = host.methods();
            assertThat(call(methods, "extra.ping").get("pong").asBoolean()).isTrue();
            assertThat(call(methods, "store.stats").has("storedBytes")).isTrue();
        }
        // closed: a second host of the same dir can open the store again
        try (Host again = new Host(dir, HostConfig.empty(dir), List.of())) {
            assertThat(call(again.methods(), "models.list").get("models").isArray()).isTrue();
        }
    }

    /** The domain takes its settings as plain values; the root reads them out of config.json's sections. */
    @Test
    void settingsReachTheDomainAsPlainValues() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"store\": {\"compress\": true, \"chunkSize\": 99999999},"
                + " \"engine\": {\"idleExitSeconds\": 60, \"jvmOptions\": [\"-Xmx1g\"]}}");
        HostConfig config = HostConfig.load(dir);
        assertThat(Host.settings(config, "store")).containsExactly(Map.entry("compress", true), Map.entry("chunkSize", 99999999));
        Map<String, Object> engine = Host.settings(config, "engine");
        assertThat(engine.get("jvmOptions")).isEqualTo(List.of("-Xmx1g"));
        assertThat(EngineServer.idleExitSeconds(engine, null)).isEqualTo(60);
        assertThat(EngineServer.idleExitSeconds(engine, 5L)).isEqualTo(5);
        assertThat(EngineServer.idleExitSeconds(Host.settings(config, "absent"), null))
                .isEqualTo(EngineServer.DEFAULT_IDLE_EXIT_SECONDS);
        try (Host host = new Host(dir, config, List.of())) {
            assertThatThrownBy(host::store).isInstanceOf(StoreException.class)
                    .hasMessageContaining("invalid \"store\" settings in " + config.file()).hasMessageContaining("chunkSize");
        }
    }
}
