package io.llmcp.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.HostConfig;
import io.llmcp.host.Host;
import io.llmcp.models.ModelFile;
import io.llmcp.models.ModelRecord;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import io.llmcp.store.BlobInfo;
import io.llmcp.tooling.bench.SyntheticData;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protocol methods of docs/PROTOCOL.md "Models and store", called the way a transport calls them. */
class ModelsMethodsTest {
    @TempDir
    Path dir;
    Host host;
    MethodRegistry methods;

    @BeforeEach
    void setUp() {
        host = new Host(dir, HostConfig.empty(dir), java.util.List.of());
        methods = host.methods();
    }

    @AfterEach
    void tearDown() {
        host.close();
    }

    JsonNode call(String method, ObjectNode params) throws Exception {
        return methods.find(method).orElseThrow().handle(RpcCall.local(method, params, new CancellationToken(), (m, b) -> { }));
    }

    void seedModel(String id, int size, long seed) throws Exception {
        byte[] b = new byte[size];
        SyntheticData.fill(seed, 0, b, 0, size);
        BlobInfo info = host.store().put(new ByteArrayInputStream(b), "https://example.org/" + id + "/onnx/model.onnx");
        ObjectNode config = Json.object().put("modelId", id).put("name", "Name " + id).put("url", "https://example.org/" + id + "/");
        ModelRecord r = ModelRecord.create(id, config)
                .withFile("onnx/model.onnx", new ModelFile(info.sha256(), info.size(), info.sourceUrl(), null, info.fetchedAt()));
        host.models().putModel(r.withComplete(true));
    }

    @Test
    void modelsHasListPinVerifyDelete() throws Exception {
        seedModel("tiny", 300_000, 1);
        JsonNode has = call("models.has", Json.object().put("modelId", "tiny"));
        assertThat(has.path("known").asBoolean()).isTrue();
        assertThat(has.path("complete").asBoolean()).isFalse(); // config.json is named by the config but missing
        assertThat(has.path("missing")).extracting(JsonNode::asText).containsExactly("config.json");
        assertThat(call("models.has", Json.object().put("modelId", "other")).path("known").asBoolean()).isFalse();

        JsonNode list = call("models.list", Json.object());
        assertThat(list.path("models")).hasSize(1);
        JsonNode m = list.path("models").get(0);
        assertThat(m.path("name").asText()).isEqualTo("Name tiny");
        assertThat(m.path("size").asLong()).isEqualTo(300_000);
        assertThat(m.path("files").get(0).path("path").asText()).isEqualTo("onnx/model.onnx");
        assertThat(m.path("config").path("url").asText()).isEqualTo("https://example.org/tiny/");

        assertThat(call("models.pin", Json.object().put("modelId", "tiny").put("pinned", true)).path("pinned").asBoolean()).isTrue();
        assertThatThrownBy(() -> call("models.pin", Json.object().put("modelId", "tiny")))
                .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.getMessage()).contains("pinned"));

        JsonNode verify = call("models.verify", Json.object().put("modelId", "tiny"));
        assertThat(verify.path("ok").asBoolean()).isTrue();
        assertThat(verify.path("files").get(0).path("ok").asBoolean()).isTrue();

        JsonNode del = call("models.delete", Json.object().put("modelId", "tiny"));
        assertThat(del.path("deleted").asBoolean()).isTrue();
        assertThat(del.path("bytesFreed").asLong()).isEqualTo(300_000);
        assertThat(call("models.delete", Json.object().put("modelId", "tiny")).path("deleted").asBoolean()).isFalse();
        assertThatThrownBy(() -> call("models.verify", Json.object().put("modelId", "tiny")))
                .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.NOT_FOUND));
        assertThatThrownBy(() -> call("models.has", Json.object()))
                .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS));
    }

    @Test
    void verifyReportsAMissingBlob() throws Exception {
        seedModel("m", 10_000, 2);
        String sha = host.models().getModel("m").orElseThrow().files().get("onnx/model.onnx").sha256();
        host.store().deleteBlob(sha);
        JsonNode verify = call("models.verify", Json.object().put("modelId", "m"));
        assertThat(verify.path("ok").asBoolean()).isFalse();
        assertThat(verify.path("files").get(0).path("problem").asText()).contains("missing");
        assertThat(call("models.has", Json.object().put("modelId", "m")).path("missing"))
                .extracting(JsonNode::asText).contains("onnx/model.onnx");
    }

    @Test
    void storeStatsGcCompactQuota() throws Exception {
        seedModel("a", 200_000, 3);
        seedModel("b", 200_000, 3); // same bytes: deduplicated
        JsonNode stats = call("store.stats", Json.object());
        assertThat(stats.path("logicalBytes").asLong()).isEqualTo(400_000);
        assertThat(stats.path("storedBytes").asLong()).isEqualTo(200_000);
        assertThat(stats.path("dedupSavedBytes").asLong()).isEqualTo(200_000);
        assertThat(stats.path("blobCount").asLong()).isEqualTo(1);
        assertThat(stats.path("fileBytes").asLong()).isGreaterThan(200_000);
        assertThat(stats.path("models")).hasSize(2);

        JsonNode gc = call("store.gc", Json.object());
        assertThat(gc.path("orphanChunks").asLong()).isZero();
        assertThat(gc.has("bytesFreed")).isTrue();
        assertThat(gc.has("millis")).isTrue();

        JsonNode quota = call("store.setQuota", Json.object().put("bytes", 1000));
        assertThat(quota.path("evicted")).extracting(JsonNode::asText).containsExactly("a", "b");
        assertThat(call("store.stats", Json.object()).path("quotaBytes").asLong()).isEqualTo(1000);
        assertThatThrownBy(() -> call("store.setQuota", Json.object().put("bytes", -1)))
                .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS));

        JsonNode compact = call("store.compact", Json.object());
        assertThat(compact.path("fileBytesAfter").asLong()).isLessThanOrEqualTo(compact.path("fileBytesBefore").asLong());
        assertThat(compact.path("bytesReclaimed").asLong())
                .isEqualTo(compact.path("fileBytesBefore").asLong() - compact.path("fileBytesAfter").asLong());
    }

    @Test
    void dataPutGetDelete() throws Exception {
        ObjectNode value = Json.object().put("theme", "dark");
        value.putArray("recent").add("a").add("b");
        ObjectNode put = Json.object().put("key", "ui/settings");
        put.set("value", value);
        assertThat(call("data.put", put).path("bytes").asLong()).isEqualTo(Json.MAPPER.writeValueAsBytes(value).length);
        assertThat(call("data.get", Json.object().put("key", "ui/settings")).path("value")).isEqualTo(value);
        assertThat(call("data.delete", Json.object().put("key", "ui/settings")).path("deleted").asBoolean()).isTrue();
        assertThatThrownBy(() -> call("data.get", Json.object().put("key", "ui/settings")))
                .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.NOT_FOUND));
        assertThatThrownBy(() -> call("data.put", Json.object().put("key", "k")))
                .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.getMessage()).contains("value"));
        ObjectNode nul = Json.object().put("key", "n");
        nul.putNull("value");
        call("data.put", nul);
        assertThat(call("data.get", Json.object().put("key", "n")).path("value").isNull()).isTrue();
    }
}
