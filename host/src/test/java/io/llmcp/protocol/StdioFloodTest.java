package io.llmcp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.methods.HostMethods;
import java.nio.file.Path;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The in-process host ({@code native-host --no-engine}) under a pipelined flood: a client that writes 10,000
 * requests before it reads a single answer. Some are answered on the reading thread itself (unknown
 * methods, {@code cancel}): they must not stop it reading. Every request is answered exactly once.
 */
class StdioFloodTest {
    static final int REQUESTS = 10_000;

    @Test
    void tenThousandPipelinedRequestsAreAllAnsweredOnce() throws Exception {
        MethodRegistry registry = new MethodRegistry();
        new HostMethods(Path.of("."), Json::object).register(registry);
        try (PipeHost host = new PipeHost(registry, FrameReader.DEFAULT_MAX_FRAME_BYTES)) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < REQUESTS; i++) {
                byte[] body = switch (i % 3) {
                    case 0 -> PipeHost.request(i, "host.echo", Json.object().put("value", "v" + i));
                    case 1 -> PipeHost.request(i, "no.such.method", null);
                    default -> PipeHost.request(i, "cancel", Json.object().put("requestId", "nobody-" + i));
                };
                all.write(PipeHost.header(body.length));
                all.write(body);
            }
            byte[] wire = all.toByteArray();
            // Written whole before anything is read. A hang guard, not a speed check: the old host stopped
            // reading once its answers filled the pipe, and this write never finished.
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
                try {
                    for (int off = 0; off < wire.length; off += 4096) host.writeRaw(java.util.Arrays.copyOfRange(wire, off, Math.min(wire.length, off + 4096)));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            write.get(120, TimeUnit.SECONDS);
            Map<Long, Integer> answered = new HashMap<>();
            for (int n = 0; n < REQUESTS; n++) {
                JsonNode m = host.next();
                assertThat(m).as("answer %d of %d", n + 1, REQUESTS).isNotNull();
                long id = m.get("id").asLong();
                answered.merge(id, 1, Integer::sum);
                switch ((int) (id % 3)) {
                    case 0 -> assertThat(m.at("/result/value").asText()).isEqualTo("v" + id);
                    case 1 -> assertThat(m.at("/error/code").asInt()).isEqualTo(ErrorCodes.METHOD_NOT_FOUND);
                    default -> assertThat(m.at("/result/cancelled").asBoolean(true)).isFalse();
                }
            }
            host.closeInput();
            assertThat(host.readToEnd()).as("frames after the last answer").isEmpty();
            assertThat(answered).hasSize(REQUESTS);
            assertThat(answered.values()).containsOnly(1);
        }
    }
}
