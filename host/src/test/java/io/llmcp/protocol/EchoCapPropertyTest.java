package io.llmcp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.HostConfig;
import io.llmcp.host.Host;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every place an answer echoes what the client sent, filled with more than the 1 MiB the host may write in
 * one frame: the request is always answered, exactly once, in a frame under the cap (docs/PROTOCOL.md, Limits).
 * The real method registry, in-process, over pipes.
 */
class EchoCapPropertyTest {
    static Path dir;
    static Host host;
    static MethodRegistry methods;

    @BeforeContainer
    static void open() throws Exception {
        dir = Files.createTempDirectory("llmcp-echo-cap");
        host = new Host(dir, HostConfig.empty(dir), List.of());
        methods = host.methods();
    }

    @AfterContainer
    static void close() {
        host.close();
    }

    enum Place { METHOD, ID, VERIFY, PIN, CHECK_UPDATE, GENERATE, EMBED, ATTACH_KEY, PULL_URL, PULL_FILE_NAME }

    @Provide
    Arbitrary<String> units() {
        return Arbitraries.of("a", "é", "€", "😀", "\"", "\\", "\u0001", "ab\n", "/..", "x y");
    }

    @Property(tries = 40, shrinking = net.jqwik.api.ShrinkingMode.OFF)
    void anyOversizedEchoIsAnsweredOnceUnderTheCap(@ForAll Place place,
                                                    @ForAll @IntRange(min = 1_100_000, max = 1_600_000) int chars,
                                                    @ForAll("units") String unit) throws Exception {
        String big = unit.repeat(chars / unit.length() + 1);
        ObjectNode msg = Json.object().put("jsonrpc", "2.0").put("id", 1);
        ObjectNode p = Json.object();
        switch (place) {
            case METHOD -> msg.put("method", big);
            case ID -> msg.put("id", big).put("method", "host.info");
            case VERIFY -> msg.put("method", "models.verify").set("params", p.put("modelId", big));
            case PIN -> msg.put("method", "models.pin").set("params", p.put("modelId", big).put("pinned", true));
            case CHECK_UPDATE -> msg.put("method", "models.checkUpdate").set("params", p.put("modelId", big));
            case GENERATE -> msg.put("method", "generate").set("params", p.put("modelId", big).put("prompt", "hi"));
            case EMBED -> {
                p.put("modelId", big).putArray("texts").add("a");
                msg.put("method", "embed").set("params", p);
            }
            case ATTACH_KEY -> msg.put("method", "jobs.attach").set("params", p.put("key", big));
            case PULL_URL -> {
                p.putObject("config").put("modelId", "m").put("url", big).put("modelFileName", "model.onnx").put("configFileName", "config.json");
                msg.put("method", "models.pull").set("params", p);
            }
            case PULL_FILE_NAME -> {
                p.putObject("config").put("modelId", "m").put("url", "http://127.0.0.1:9/repo").put("modelFileName", big)
                        .put("configFileName", "config.json");
                msg.put("method", "models.pull").set("params", p);
            }
        }
        try (PipeHost host = new PipeHost(methods, FrameReader.DEFAULT_MAX_FRAME_BYTES)) {
            host.writeFrame(Json.MAPPER.writeValueAsBytes(msg));
            JsonNode expectedId = place == Place.ID ? com.fasterxml.jackson.databind.node.NullNode.instance : msg.get("id");
            int answers = 0;
            JsonNode first = null;
            while (first == null) {
                JsonNode m = nextUnderCap(host);
                if (!m.has("method")) {
                    first = m;
                    answers++;
                }
            }
            assertThat(first.get("id")).isEqualTo(expectedId);
            assertThat(first.has("error")).as("an oversized input is an error: %s", first.path("error").path("message").asText()).isTrue();
            // then a sentinel: nothing else may answer the first request before it
            host.writeFrame(PipeHost.request("sentinel", "host.echo", Json.object().put("value", "s")));
            while (true) {
                JsonNode m = nextUnderCap(host);
                if (m.has("method")) continue;
                if (m.path("id").asText().equals("sentinel")) break;
                if (m.get("id").equals(expectedId)) answers++;
            }
            assertThat(answers).isEqualTo(1);
        }
    }

    private static JsonNode nextUnderCap(PipeHost host) throws Exception {
        // a hang guard: an answer dropped for its size never comes
        byte[] f = CompletableFuture.supplyAsync(() -> {
            try {
                return host.nextRaw();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(f).as("a frame before the end of the stream").isNotNull();
        assertThat(f.length).isLessThanOrEqualTo(FrameWriter.BROWSER_MAX_FRAME_BYTES);
        return Json.MAPPER.readTree(f);
    }
}
