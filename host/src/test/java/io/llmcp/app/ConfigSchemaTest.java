package io.llmcp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.engine.EngineServer;
import io.llmcp.fetch.FetchSettings;
import io.llmcp.inference.OrtRuntime;
import io.llmcp.inference.SessionCache;
import io.llmcp.protocol.Json;
import io.llmcp.proxy.ProxySpin;
import io.llmcp.store.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {
    static JsonNode def(String key) {
        return ConfigSchema.require(key).defaultValue();
    }

    static JsonNode parse(String key, String... raw) {
        return ConfigSchema.require(key).parse(List.of(raw));
    }

    @Test
    void theDefaultsAreTheSubsystemsOwn() {
        FetchSettings f = FetchSettings.from(Json.object(), Map.of());
        assertThat(def("fetch.tokenHosts")).hasSize(1);
        assertThat(def("fetch.tokenHosts").get(0).asText()).isEqualTo(f.tokenHosts().get(0));
        assertThat(def("fetch.rateLimitBytesPerSecond").asLong()).isEqualTo(f.rateLimitBytesPerSecond());
        assertThat(def("fetch.parallelParts").asInt()).isEqualTo(f.parallelParts());
        assertThat(def("fetch.parallelMinBytes").asLong()).isEqualTo(f.parallelMinBytes());
        assertThat(def("fetch.partBytes").asInt()).isEqualTo(f.partBytes());
        assertThat(def("fetch.parallelOnLoopback").asBoolean()).isEqualTo(f.parallelOnLoopback());
        assertThat(def("fetch.connectTimeoutSeconds").asLong()).isEqualTo(f.connectTimeout().toSeconds());
        assertThat(def("fetch.readTimeoutSeconds").asLong()).isEqualTo(f.readTimeout().toSeconds());
        assertThat(def("fetch.maxRetries").asInt()).isEqualTo(f.maxRetries());
        assertThat(def("fetch.retryBaseDelayMillis").asLong()).isEqualTo(f.retryBaseDelay().toMillis());
        assertThat(def("fetch.userAgent").asText()).isEqualTo(f.userAgent());
        StoreOptions s = StoreOptions.defaults();
        assertThat(def("store.chunkSize").asInt()).isEqualTo(s.chunkSize());
        assertThat(def("store.commitBytes").asLong()).isEqualTo(s.commitBytes());
        assertThat(def("store.retentionMillis").asInt()).isEqualTo(s.retentionMillis());
        assertThat(def("store.cacheMb").asInt()).isEqualTo(s.cacheMb());
        assertThat(def("store.compress").asBoolean()).isEqualTo(s.compress());
        OrtRuntime.Settings o = OrtRuntime.Settings.defaults();
        assertThat(def("inference.provider").asText()).isEqualTo(o.provider());
        assertThat(def("inference.intraOpThreads").asInt()).isEqualTo(o.intraOpThreads());
        assertThat(def("inference.interOpThreads").asInt()).isEqualTo(o.interOpThreads());
        assertThat(def("inference.cudaDevice").asInt()).isEqualTo(o.cudaDevice());
        assertThat(def("inference.prepack").asBoolean()).isEqualTo(o.prepack());
        assertThat(def("inference.keepAliveSeconds").asLong()).isEqualTo(SessionCache.DEFAULT_KEEP_ALIVE.toSeconds());
        assertThat(def("engine.idleExitSeconds").asLong()).isEqualTo(EngineServer.DEFAULT_IDLE_EXIT_SECONDS);
        assertThat(def("engine.proxySpinMicros").asLong()).isEqualTo(ProxySpin.DEFAULT_REPLY_MICROS);
        assertThat(def("engine.proxyIdleSpinMicros").asLong()).isEqualTo(ProxySpin.DEFAULT_IDLE_MICROS);
        // Every default is allowed by its own key.
        for (ConfigSchema.Key k : ConfigSchema.keys()) {
            if (k.defaultValue() != null) assertThat(k.problem(k.defaultValue())).as(k.key()).isNull();
        }
    }

    @Test
    void valuesAreParsedByType() {
        assertThat(parse("fetch.parallelOnLoopback", "true").asBoolean()).isTrue();
        assertThat(parse("store.compress", "off").asBoolean()).isFalse();
        assertThat(parse("engine.idleExitSeconds", "1_200").asLong()).isEqualTo(1200);
        assertThat(parse("inference.keepAliveSeconds", "-1").asLong()).isEqualTo(-1);
        assertThat(parse("inference.provider", "CUDA").asText()).isEqualTo("cuda");
        assertThat(parse("fetch.token", "hf_abc def").asText()).isEqualTo("hf_abc def");
        assertThat(parse("fetch.allowHttpHosts", "a.local, b.local").toString()).isEqualTo("[\"a.local\",\"b.local\"]");
        assertThat(parse("fetch.allowHttpHosts", "a.local", "b.local").toString()).isEqualTo("[\"a.local\",\"b.local\"]");
        assertThat(parse("fetch.tokenHosts", "[\"huggingface.co\",\"hf.example:8443\"]")).hasSize(2);
        assertThat(parse("allowedOrigins", "chrome-extension://abcdefghijklmnopabcdefghijklmnop/", "me@example.org")).hasSize(2);
    }

    @Test
    void wrongValuesAreRefusedNamingTheKeyAndWhatItAccepts() {
        assertThatThrownBy(() -> parse("fetch.parallelParts", "99"))
                .hasMessage("fetch.parallelParts must be an integer from 1 to 16, not 99");
        assertThatThrownBy(() -> parse("fetch.parallelParts", "four"))
                .hasMessage("fetch.parallelParts must be an integer from 1 to 16, not 'four'");
        assertThatThrownBy(() -> parse("inference.provider", "tpu"))
                .hasMessage("inference.provider must be one of auto, cpu, cuda, not 'tpu'");
        assertThatThrownBy(() -> parse("store.compress", "maybe"))
                .hasMessage("store.compress must be true or false, not 'maybe'");
        assertThatThrownBy(() -> parse("engine.idleExitSeconds", "1", "2")).hasMessageContaining("takes one value");
        assertThatThrownBy(() -> parse("allowedOrigins", "https://evil.example/"))
                .hasMessageContaining("'https://evil.example/' is not extension origins");
        assertThatThrownBy(() -> parse("fetch.tokenHosts", "[1,2]")).hasMessageContaining("not a string");
    }

    @Test
    void unknownKeysAreRefusedWithTheKnownOnesNearby() {
        assertThatThrownBy(() -> ConfigSchema.require("fetch.tokn"))
                .hasMessageStartingWith("unknown setting 'fetch.tokn'")
                .hasMessageContaining("fetch.token, fetch.tokenHosts")
                .hasMessageContaining("llmcp config list");
        assertThatThrownBy(() -> ConfigSchema.require("bogus")).hasMessageContaining("sections are fetch, store, inference, engine");
        assertThatThrownBy(() -> ConfigSchema.require("idleExitSeconds")).hasMessageContaining("engine.idleExitSeconds");
    }

    @Test
    void aFileIsCheckedAndValuesOfTheWrongTypeAreDropped() throws Exception {
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree("""
                {"fetch": {"parallelParts": "four", "maxRetries": 99, "tokn": "x", "allowHttpHosts": "lan.local"},
                 "inference": {"provider": "tpu"}, "engine": 5, "allowedOrigins": ["me@example.org"], "extra": 1}""");
        List<String> problems = ConfigSchema.check(root, true);
        assertThat(problems).containsExactlyInAnyOrder(
                "fetch.parallelParts: must be an integer from 1 to 16",
                "fetch.maxRetries: must be an integer from 0 to 20, not 99",
                "fetch.tokn: unknown setting",
                "inference.provider: must be one of auto, cpu, cuda, not 'tpu'",
                "engine: must be an object of settings",
                "extra: unknown setting");
        assertThat(root.path("fetch").has("parallelParts")).as("wrong type: dropped, the default applies").isFalse();
        assertThat(root.path("fetch").path("maxRetries").asInt()).as("out of range: kept, the subsystem clamps").isEqualTo(99);
        assertThat(root.path("inference").path("provider").asText()).isEqualTo("tpu");
        assertThat(root.has("engine")).isFalse();
        assertThat(root.path("fetch").path("allowHttpHosts").asText()).as("a single string is a one-element list").isEqualTo("lan.local");
    }

    @Test
    void theReadmeSettingsSectionNamesEveryKey() throws Exception {
        String readme = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
        int start = readme.indexOf("### Settings");
        assertThat(start).isNotNegative();
        String section = readme.substring(start, readme.indexOf("\n## ", start));
        for (ConfigSchema.Key k : ConfigSchema.keys()) {
            assertThat(section).as("README's Settings section names %s", k.key()).contains("`" + k.key() + "`");
        }
    }
}
