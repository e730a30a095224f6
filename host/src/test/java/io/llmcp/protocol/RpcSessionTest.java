package io.llmcp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RpcSessionTest {
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final AtomicBoolean slowSawCancel = new AtomicBoolean();
    private WireHarness wire;

    MethodRegistry registry() {
        return new MethodRegistry()
                .register("echo", call -> Json.object().set("value", call.params().get("value")))
                .register("typed", call -> Json.object().put("id", call.params().requireString("modelId")))
                .register("boom", call -> {
                    throw new IllegalStateException("disk exploded");
                })
                .register("stream", call -> {
                    for (int i = 0; i < 3; i++) call.notify("test.tick", Json.object().put("i", i));
                    return Json.object().put("done", true);
                })
                .register("partial", call -> {
                    slowStarted.countDown();
                    while (!call.token().isCancelled()) Thread.sleep(5);
                    return Json.object().put("text", "half a sentence").put("finishReason", "cancelled");
                })
                .register("slow", call -> {
                    slowStarted.countDown();
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (System.nanoTime() < end) {
                        if (call.token().isCancelled()) {
                            slowSawCancel.set(true);
                            call.token().throwIfCancelled();
                        }
                        Thread.sleep(5);
                    }
                    return Json.object();
                });
    }

    @BeforeEach
    void start() throws Exception {
        wire = new WireHarness(registry(), 4096);
    }

    @AfterEach
    void stop() throws Exception {
        wire.close();
    }

    @Test
    void answersARequest() throws Exception {
        wire.request(1, "echo", Json.object().put("value", "hé👋"));
        JsonNode r = wire.next();
        assertThat(r.get("id").asInt()).isEqualTo(1);
        assertThat(r.get("result").get("value").asText()).isEqualTo("hé👋");
    }

    @Test
    void invalidUtf8IsAParseErrorAndTheSessionGoesOn() throws Exception {
        wire.sendRaw(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
        assertError(wire.next(), ErrorCodes.PARSE_ERROR, null);
        wire.send("{not json");
        assertError(wire.next(), ErrorCodes.PARSE_ERROR, null);
        wire.request(2, "echo", Json.object().put("value", 1));
        assertThat(wire.next().get("result").get("value").asInt()).isEqualTo(1);
    }

    @Test
    void nonObjectsAndMissingMethodsAreInvalidRequests() throws Exception {
        wire.send("[1,2]");
        assertError(wire.next(), ErrorCodes.INVALID_REQUEST, null);
        wire.send("\"hi\"");
        assertError(wire.next(), ErrorCodes.INVALID_REQUEST, null);
        wire.send("{\"jsonrpc\":\"2.0\",\"id\":5}");
        assertError(wire.next(), ErrorCodes.INVALID_REQUEST, "5");
        wire.send("{\"jsonrpc\":\"1.0\",\"id\":6,\"method\":\"echo\"}");
        assertError(wire.next(), ErrorCodes.INVALID_REQUEST, "6");
        wire.send("{\"jsonrpc\":\"2.0\",\"id\":{\"x\":1},\"method\":\"echo\"}");
        assertError(wire.next(), ErrorCodes.INVALID_REQUEST, null);
    }

    @Test
    void unknownMethodAndWrongParamsNameTheProblem() throws Exception {
        wire.request("a", "no.such", null);
        JsonNode r = wire.next();
        assertError(r, ErrorCodes.METHOD_NOT_FOUND, "\"a\"");
        assertThat(r.at("/error/data/method").asText()).isEqualTo("no.such");
        wire.request("b", "typed", Json.object().put("modelId", 3));
        r = wire.next();
        assertError(r, ErrorCodes.INVALID_PARAMS, "\"b\"");
        assertThat(r.at("/error/data/field").asText()).isEqualTo("modelId");
        wire.send("{\"jsonrpc\":\"2.0\",\"id\":\"c\",\"method\":\"typed\",\"params\":[1]}");
        assertError(wire.next(), ErrorCodes.INVALID_PARAMS, "\"c\"");
    }

    @Test
    void internalFailureGivesAnActionableMessage() throws Exception {
        wire.request(9, "boom", null);
        JsonNode r = wire.next();
        assertError(r, ErrorCodes.INTERNAL_ERROR, "9");
        assertThat(r.at("/error/message").asText()).contains("boom").contains("disk exploded");
    }

    @Test
    void oversizedFrameIsRefusedThenTheSessionResynchronises() throws Exception {
        wire.sendRaw(new byte[5000]);
        JsonNode r = wire.next();
        assertError(r, ErrorCodes.FRAME_TOO_LARGE, null);
        assertThat(r.at("/error/data/length").asInt()).isEqualTo(5000);
        wire.request(3, "echo", Json.object().put("value", "after"));
        assertThat(wire.next().at("/result/value").asText()).isEqualTo("after");
    }

    @Test
    void notificationsCarryTheRequestIdAndComeBeforeTheResult() throws Exception {
        wire.request(11, "stream", null);
        for (int i = 0; i < 3; i++) {
            JsonNode n = wire.next();
            assertThat(n.get("method").asText()).isEqualTo("test.tick");
            assertThat(n.at("/params/requestId").asInt()).isEqualTo(11);
            assertThat(n.at("/params/i").asInt()).isEqualTo(i);
        }
        assertThat(wire.next().at("/result/done").asBoolean()).isTrue();
    }

    @Test
    void aLongRequestDoesNotBlockOthersAndCancelStopsIt() throws Exception {
        wire.request(20, "slow", null);
        assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
        wire.request(21, "echo", Json.object().put("value", "quick"));
        assertThat(wire.responseFor(21).at("/result/value").asText()).isEqualTo("quick");
        wire.request(22, "cancel", Json.object().put("requestId", 20));
        JsonNode first = wire.next();
        JsonNode second = wire.next();
        JsonNode cancelAnswer = first.get("id").asInt() == 22 ? first : second;
        JsonNode slowAnswer = first.get("id").asInt() == 20 ? first : second;
        assertThat(cancelAnswer.at("/result/cancelled").asBoolean()).isTrue();
        assertError(slowAnswer, ErrorCodes.CANCELLED, "20");
        assertThat(slowSawCancel).isTrue();
        wire.request(23, "cancel", Json.object().put("requestId", 999));
        assertThat(wire.next().at("/result/cancelled").asBoolean()).isFalse();
    }

    @Test
    void aCancelledRequestThatStoppedWithAPartialResultCarriesItAsErrorData() throws Exception {
        wire.request(40, "partial", null);
        assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
        wire.request(41, "cancel", Json.object().put("requestId", 40));
        JsonNode answer = wire.responseFor(40);
        assertError(answer, ErrorCodes.CANCELLED, "40");
        assertThat(answer.at("/error/data/text").asText()).isEqualTo("half a sentence");
        assertThat(answer.at("/error/data/finishReason").asText()).isEqualTo("cancelled");
    }

    @Test
    void endOfStreamCancelsInFlightWorkAndEndsTheSession() throws Exception {
        wire.request(30, "slow", null);
        assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
        wire.closeClientOutput();
        wire.serverThread.join(5_000);
        assertThat(wire.serverThread.isAlive()).isFalse();
        assertThat(slowSawCancel).isTrue();
    }

    /** Whatever the result size, no frame the host writes exceeds 1 MiB, and the client gets it back whole. */
    @Property(tries = 8)
    void everyHostFrameFitsTheBrowserCap(@ForAll @IntRange(min = 0, max = 3_000_000) int size) throws Exception {
        String big = "\"\\é".repeat(size / 3 + 1).substring(0, size);
        MethodRegistry reg = new MethodRegistry().register("big", call -> TextNode.valueOf(big));
        try (WireHarness h = new WireHarness(reg, 4096)) {
            h.request(1, "big", null);
            java.io.ByteArrayOutputStream parts = new java.io.ByteArrayOutputStream();
            JsonNode msg;
            while (!(msg = h.next()).has("id")) {
                parts.writeBytes(java.util.Base64.getDecoder().decode(msg.at("/params/data").asText()));
            }
            JsonNode result = msg.get("result");
            if (result.has("$parts")) result = Json.MAPPER.readTree(parts.toByteArray());
            assertThat(result.asText()).isEqualTo(big);
            assertThat(h.frameSizes).allMatch(n -> n <= FrameWriter.BROWSER_MAX_FRAME_BYTES);
        }
    }

    @Test
    void rpcClientReassemblesSplitResults() throws Exception {
        String big = "x".repeat(2_500_000);
        MethodRegistry reg = new MethodRegistry().register("big", call -> TextNode.valueOf(big));
        java.io.PipedInputStream serverIn = new java.io.PipedInputStream(1 << 20);
        java.io.PipedOutputStream clientOut = new java.io.PipedOutputStream(serverIn);
        java.io.PipedInputStream clientIn = new java.io.PipedInputStream(1 << 20);
        java.io.PipedOutputStream serverOut = new java.io.PipedOutputStream(clientIn);
        var workers = java.util.concurrent.Executors.newSingleThreadExecutor();
        RpcSession s = new RpcSession(new FrameReader(serverIn), new FrameWriter(serverOut), reg, workers, "t");
        Thread t = new Thread(() -> s.run(1000));
        t.start();
        try (RpcClient c = new RpcClient(new FrameReader(clientIn), new FrameWriter(clientOut, Integer.MAX_VALUE, java.nio.ByteOrder.nativeOrder()))) {
            JsonNode r = c.call("big", null).get(10, TimeUnit.SECONDS);
            assertThat(r.asText()).isEqualTo(big);
        }
        t.join(5000);
        workers.shutdownNow();
    }

    private static void assertError(JsonNode msg, int code, String idJson) {
        assertThat(msg.has("error")).as("expected an error in %s", msg).isTrue();
        assertThat(msg.at("/error/code").asInt()).as("code in %s", msg).isEqualTo(code);
        assertThat(msg.at("/error/message").asText()).isNotBlank();
        if (idJson == null) assertThat(msg.get("id").isNull()).as("id in %s", msg).isTrue();
        else assertThat(msg.get("id").toString()).isEqualTo(idJson);
    }
}
