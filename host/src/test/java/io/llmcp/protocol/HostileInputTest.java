package io.llmcp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Inputs that used to go unanswered, or were answered wrongly, by an RpcSession (docs/PROTOCOL.md, Limits). */
class HostileInputTest {
    static final int CAP = 4096;
    /** Json.MAX_NESTING_DEPTH and Json.MAX_STRING_CHARS, as documented in PROTOCOL.md. */
    static final int DEPTH = 1000;
    static final int STRING_CHARS = 20_000_000;
    PipeHost host;

    static MethodRegistry registry() {
        return new MethodRegistry()
                .register("echo", call -> Json.object().set("value", call.params().get("value")))
                .register("slow", call -> {
                    Thread.sleep(300);
                    return Json.object().put("slept", true);
                })
                .register("quota", call -> Json.object().put("bytes", call.params().optLong("bytes", -1, 0, Long.MAX_VALUE)));
    }

    @BeforeEach
    void start() throws Exception {
        host = new PipeHost(registry(), CAP);
    }

    @AfterEach
    void stop() throws Exception {
        host.close();
    }

    private JsonNode answer() throws Exception {
        // a hang guard, not a speed check: the old code never answered at all
        JsonNode m = CompletableFuture.supplyAsync(() -> {
            try {
                return host.next();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }).get(30, TimeUnit.SECONDS);
        assertThat(m).as("an answer before the end of the stream").isNotNull();
        return m;
    }

    @Test
    void aRequestWithIdNullIsAnsweredWithIdNull() throws Exception {
        host.writeFrame("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"echo\",\"params\":{\"value\":\"n\"}}");
        JsonNode r = answer();
        assertThat(r.has("id")).isTrue();
        assertThat(r.get("id").isNull()).isTrue();
        assertThat(r.at("/result/value").asText()).isEqualTo("n");
        host.writeFrame("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"no.such\"}");
        JsonNode e = answer();
        assertThat(e.get("id").isNull()).isTrue();
        assertThat(e.at("/error/code").asInt()).isEqualTo(ErrorCodes.METHOD_NOT_FOUND);
    }

    @Test
    void aRequestWithIdNullIsStillAnsweredWhenTheStreamEndsWhileItRuns() throws Exception {
        host.writeFrame("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"slow\"}");
        host.closeInput();
        JsonNode r = answer();
        assertThat(r.get("id").isNull()).isTrue();
    }

    @Test
    void anEmptyFrameIsAParseError() throws Exception {
        host.writeFrame(new byte[0]);
        JsonNode r = answer();
        assertThat(r.at("/error/code").asInt()).isEqualTo(ErrorCodes.PARSE_ERROR);
        assertThat(r.get("id").isNull()).isTrue();
        host.writeFrame(PipeHost.request(1, "echo", Json.object().put("value", "after")));
        assertThat(answer().at("/result/value").asText()).isEqualTo("after");
    }

    @Test
    void anImplausibleLengthIsAnsweredAtOnceAndEndsTheConnection() throws Exception {
        // a 60-byte frame whose length was written in the wrong byte order: 0x3C000000 on a little-endian host
        byte[] body = PipeHost.request(1, "echo", Json.object().put("value", "x")).clone();
        int wrongOrder = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(body.length).flip()
                .order(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).getInt();
        assertThat(Integer.toUnsignedLong(wrongOrder)).isGreaterThan(4L * CAP);
        host.writeRaw(PipeHost.header(Integer.toUnsignedLong(wrongOrder)));
        host.writeRaw(body);
        JsonNode r = answer();
        assertThat(r.at("/error/code").asInt()).isEqualTo(ErrorCodes.FRAME_TOO_LARGE);
        assertThat(r.at("/error/data/length").asLong()).isEqualTo(Integer.toUnsignedLong(wrongOrder));
        assertThat(r.get("id").isNull()).isTrue();
        // the stream is out of step: the host says so once and closes instead of swallowing what follows
        assertThat(CompletableFuture.supplyAsync(() -> {
            try {
                return host.next();
            } catch (Exception e) {
                return null;
            }
        }).get(30, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void aPlausiblyOversizedFrameIsAnsweredBeforeItsBodyArrivesThenSkipped() throws Exception {
        host.writeRaw(PipeHost.header(CAP + 100));
        JsonNode r = answer(); // no body sent yet
        assertThat(r.at("/error/code").asInt()).isEqualTo(ErrorCodes.FRAME_TOO_LARGE);
        host.writeRaw(new byte[CAP + 100]);
        host.writeFrame(PipeHost.request(2, "echo", Json.object().put("value", "in step")));
        assertThat(answer().at("/result/value").asText()).isEqualTo("in step");
    }

    @Test
    void aHeaderAnnouncingTheLimitDoesNotAllocateItBeforeTheBytesArrive() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int limit = FrameReader.DEFAULT_MAX_FRAME_BYTES;
        InputStream wire = new SequenceInputStream(new ByteArrayInputStream(PipeHost.header(limit)),
                new ByteArrayInputStream(new byte[1000]));
        FrameReader reader = new FrameReader(wire, limit, ByteOrder.nativeOrder());
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThatThrownBy(reader::read).isInstanceOf(FrameReader.TruncatedFrameException.class);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated for a 64 MiB header followed by 1000 bytes").isLessThan(8L << 20);
    }

    @Test
    void integersPast64BitsAreRefusedNamingTheField() throws Exception {
        host.writeFrame("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"quota\",\"params\":{\"bytes\":18446744073709551616}}");
        JsonNode r = answer();
        assertThat(r.at("/error/code").asInt()).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(r.at("/error/data/field").asText()).isEqualTo("bytes");
        host.writeFrame("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"quota\",\"params\":{\"bytes\":9223372036854775807}}");
        assertThat(answer().at("/result/bytes").asLong()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void loneSurrogatesAreAnsweredToo() throws Exception {
        host.writeFrame("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":{\"value\":\"a\\ud800b\"}}");
        assertThat(answer().get("id").asInt()).isEqualTo(1);
        host.writeFrame("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"no.such\\udfff\"}");
        assertThat(answer().get("id").asInt()).isEqualTo(2);
        host.writeFrame(PipeHost.request(3, "echo", Json.object().put("value", "after")));
        assertThat(answer().at("/result/value").asText()).isEqualTo("after");
    }

    @Test
    void anIntegerIdPast64BitsIsRefusedWithIdNull() throws Exception {
        host.writeFrame("{\"jsonrpc\":\"2.0\",\"id\":18446744073709551616,\"method\":\"echo\"}");
        JsonNode r = answer();
        assertThat(r.at("/error/code").asInt()).isEqualTo(ErrorCodes.INVALID_REQUEST);
        assertThat(r.get("id").isNull()).isTrue();
    }

    @Test
    void nestingAndStringLimitsAreNamed() throws Exception {
        stop();
        host = new PipeHost(registry(), FrameReader.DEFAULT_MAX_FRAME_BYTES);
        String deep = "[".repeat(DEPTH + 1) + "]".repeat(DEPTH + 1);
        host.writeFrame("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":{\"value\":" + deep + "}}");
        JsonNode r = answer();
        assertThat(r.at("/error/code").asInt()).isEqualTo(ErrorCodes.INVALID_REQUEST);
        assertThat(r.at("/error/message").asText()).contains("nesting deeper than " + DEPTH);
        String ok = "[".repeat(DEPTH - 3) + "]".repeat(DEPTH - 3);
        host.writeFrame("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"echo\",\"params\":{\"value\":" + ok + "}}");
        assertThat(answer().at("/id").asInt()).isEqualTo(2);
        byte[] longString = ("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"echo\",\"params\":{\"value\":\""
                + "a".repeat(STRING_CHARS + 1) + "\"}}").getBytes(StandardCharsets.US_ASCII);
        host.writeFrame(longString);
        JsonNode s = answer();
        assertThat(s.at("/error/code").asInt()).isEqualTo(ErrorCodes.INVALID_REQUEST);
        assertThat(s.at("/error/message").asText()).contains("string longer than " + STRING_CHARS);
    }
}
