package io.llmcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.testing.HostProcess;
import io.llmcp.testing.EngineReaper;
import org.junit.jupiter.api.AfterEach;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar, started the way a browser starts it, through real pipes. */
class NativeHostIT {
    @TempDir
    Path home;

    @AfterEach
    void stopEngines() throws Exception {
        EngineReaper.stopEngines(home); // the browser-style launch proxies to an engine, which outlives the proxy
    }

    @Test
    void servesInfoSurvivesBadInputCancelsAndExitsZeroOnEof() throws Exception {
        try (HostProcess host = HostProcess.start(home, "native-host", "--no-engine")) {
            host.request(1, "host.info", null);
            JsonNode info = host.next();
            assertThat(info.at("/result/name").asText()).isEqualTo("llmcp");
            assertThat(info.at("/result/protocolVersion").asText()).isEqualTo("1.0");
            assertThat(info.at("/result/onnxruntime/providers").toString()).contains("CPU");
            assertThat(info.at("/result/dataDir").asText()).isEqualTo(home.toString());
            assertThat(info.at("/result/pid").asLong()).isEqualTo(host.process.pid());

            host.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":2,".getBytes(StandardCharsets.UTF_8));
            assertThat(host.next().at("/error/code").asInt()).isEqualTo(ErrorCodes.PARSE_ERROR);

            host.request(3, "models.frobnicate", null);
            JsonNode unknown = host.next();
            assertThat(unknown.at("/error/code").asInt()).isEqualTo(ErrorCodes.METHOD_NOT_FOUND);
            assertThat(unknown.at("/id").asInt()).isEqualTo(3);

            host.request(4, "host.echo", Json.object().put("delayMs", 30_000).put("value", "never"));
            host.request(5, "host.echo", Json.object().put("value", "fast"));
            JsonNode fast = host.next();
            assertThat(fast.at("/id").asInt()).isEqualTo(5);
            assertThat(fast.at("/result/value").asText()).isEqualTo("fast");
            long t0 = System.nanoTime();
            host.request(6, "cancel", Json.object().put("requestId", 4));
            JsonNode a = host.next();
            JsonNode b = host.next();
            JsonNode cancelled = a.at("/id").asInt() == 4 ? a : b;
            JsonNode ack = a.at("/id").asInt() == 6 ? a : b;
            assertThat(ack.at("/result/cancelled").asBoolean()).isTrue();
            assertThat(cancelled.at("/error/code").asInt()).isEqualTo(ErrorCodes.CANCELLED);
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);

            host.request(7, "host.echo", Json.object().put("value", "still serving"));
            assertThat(host.next().at("/result/value").asText()).isEqualTo("still serving");

            host.closeStdin();
            assertThat(host.next()).isNull();
            assertThat(host.waitForExit(20)).isEqualTo(0);
        }
        assertThat(Files.list(home.resolve("logs")).anyMatch(p -> p.getFileName().toString().startsWith("llmcp"))).isTrue();
    }

    /**
     * 10,000 requests written before any answer is read — host.echo, unknown methods, cancels of unknown ids —
     * through the proxy and its engine, and in-process: every one answered exactly once
     * (docs/RELIABILITY.md, Proxy flood).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void aPipelinedFloodIsAnsweredExactlyOnce(boolean throughEngine) throws Exception {
        int requests = 10_000;
        String[] args = throughEngine ? new String[] {"chrome-extension://elmmfbajkifjcdbkledoobbkbimigcib/"}
                : new String[] {"native-host", "--no-engine"};
        try (HostProcess host = HostProcess.start(home, args)) {
            long t0 = System.nanoTime();
            // a hang guard, not a speed check: the old proxy stopped reading stdin and this never finished
            java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < requests; i++) {
                        switch (i % 3) {
                            case 0 -> host.request(i, "host.echo", Json.object().put("value", "v" + i));
                            case 1 -> host.request(i, "no.such.method", null);
                            default -> host.request(i, "cancel", Json.object().put("requestId", "nobody-" + i));
                        }
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }).get(180, java.util.concurrent.TimeUnit.SECONDS);
            long written = System.nanoTime();
            java.util.Map<Long, Integer> answered = new java.util.HashMap<>();
            for (int n = 0; n < requests; n++) {
                JsonNode m = host.next();
                assertThat(m).as("answer %d", n + 1).isNotNull();
                answered.merge(m.get("id").asLong(), 1, Integer::sum);
                if (m.get("id").asLong() % 3 == 1) assertThat(m.at("/error/code").asInt()).isEqualTo(ErrorCodes.METHOD_NOT_FOUND);
            }
            long done = System.nanoTime();
            assertThat(answered).hasSize(requests);
            assertThat(answered.values()).containsOnly(1);
            System.out.printf("flood %s: %d requests written in %d ms, all answered once after %d ms%n",
                    throughEngine ? "through the proxy and engine" : "in-process (--no-engine)", requests,
                    (written - t0) / 1_000_000, (done - t0) / 1_000_000);
            host.closeStdin();
            assertThat(host.next()).isNull();
            assertThat(host.waitForExit(20)).isEqualTo(0);
        }
    }

    @Test
    void browserLaunchWithAnAllowedOriginIsServed() throws Exception {
        try (HostProcess host = HostProcess.start(home, "chrome-extension://elmmfbajkifjcdbkledoobbkbimigcib/")) {
            host.request(1, "host.echo", Json.object().put("value", 42));
            assertThat(host.next().at("/result/value").asInt()).isEqualTo(42);
            host.closeStdin();
            assertThat(host.waitForExit(20)).isEqualTo(0);
        }
    }

    @Test
    void unknownOriginIsRefusedWithALoggedReason() throws Exception {
        try (HostProcess host = HostProcess.start(home, "chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh/")) {
            assertThat(host.waitForExit(20)).isNotZero();
            assertThat(host.stderr()).contains("refusing origin chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh/");
        }
    }

    @Test
    void stdoutCarriesFramesOnlyEvenForCliHelpInHostMode() throws Exception {
        try (HostProcess host = HostProcess.start(home, "native-host", "--no-engine")) {
            host.request(1, "host.info", null);
            byte[] all = host.process.getInputStream().readNBytes(4);
            int len = java.nio.ByteBuffer.wrap(all).order(java.nio.ByteOrder.nativeOrder()).getInt();
            byte[] body = host.process.getInputStream().readNBytes(len);
            assertThat(Json.MAPPER.readTree(body).has("result")).isTrue();
            host.closeStdin();
            assertThat(host.process.getInputStream().readAllBytes()).isEmpty();
            assertThat(host.waitForExit(20)).isEqualTo(0);
        }
    }
}
