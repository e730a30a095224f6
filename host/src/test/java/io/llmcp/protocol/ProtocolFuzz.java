package io.llmcp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Hostile frame streams for an RpcSession, and the oracle that says how many answers each frame deserves:
 * JSON-RPC 2.0 answers everything exactly once except a well-formed notification (no {@code id}).
 * {@link ProtocolFuzzTest} runs it in the normal build, {@link ProtocolFuzzStressTest} longer (-Pstress).
 */
final class ProtocolFuzz {
    /** The session's incoming limit: over the 1 MiB outgoing cap, so echoes can exceed what the host may write. */
    static final int CAP = 1_200_000;

    static final LongAdder FRAMES = new LongAdder();
    static final LongAdder ANSWERS = new LongAdder();
    static final LongAdder HOST_FRAMES = new LongAdder();
    static final AtomicLong LARGEST_HOST_FRAME = new AtomicLong();
    static final Map<Kind, LongAdder> BY_KIND = new java.util.concurrent.ConcurrentHashMap<>();

    private ProtocolFuzz() {
    }

    enum Kind {
        RANDOM_BYTES, TRUNCATED_JSON, REQUEST, NOTIFICATION, NULL_ID, BAD_ID, LONG_ID, DEEP_NESTING, EMPTY,
        OVERSIZED_SKIPPED, HUGE_ECHO, IMPLAUSIBLE_LENGTH, WRONG_BYTE_ORDER, CUT_STREAM
    }

    /** One frame on the wire: its bytes, the answers it deserves, whether the stream ends after it. */
    record Frame(Kind kind, byte[] wire, int answers, String id, boolean terminal) {
        @Override
        public String toString() {
            return kind + (id == null ? "" : "#" + id) + "(" + wire.length + " bytes, " + answers + " answer(s))";
        }
    }

    static MethodRegistry registry() {
        return new MethodRegistry()
                .register("echo", call -> Json.object().set("value", call.params().get("value")))
                .register("boom", call -> {
                    throw new IllegalStateException("failed on " + call.params().get("value"));
                })
                .register("key", call -> {
                    String key = call.params().requireString("key");
                    throw new RpcException(ErrorCodes.NOT_FOUND, "no such key: " + key, Json.object().put("key", key));
                })
                .register("quota", call -> Json.object().put("bytes", call.params().optLong("bytes", 0, 0, Long.MAX_VALUE)))
                .register("stream", call -> {
                    for (int i = 0; i < 3; i++) call.notify("test.tick", Json.object().set("value", call.params().get("value")));
                    return Json.object().put("done", true);
                });
    }

    static byte[] header(long length, ByteOrder order) {
        return ByteBuffer.allocate(4).order(order).putInt((int) length).array();
    }

    static byte[] framed(byte[] body) {
        byte[] f = new byte[body.length + 4];
        System.arraycopy(header(body.length, ByteOrder.nativeOrder()), 0, f, 0, 4);
        System.arraycopy(body, 0, f, 4, body.length);
        return f;
    }

    /** How many answers a frame body deserves: one, unless it is a well-formed notification. */
    static int oracle(byte[] body) {
        if (body.length == 0) return 1;
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString());
        } catch (Exception e) {
            return 1;
        }
        if (root == null || !root.isObject() || root.has("id")) return 1;
        if (!"2.0".equals(root.path("jsonrpc").asText(null)) || !root.path("jsonrpc").isTextual()) return 1;
        if (!root.path("method").isTextual() || root.path("method").asText().isEmpty()) return 1;
        JsonNode params = root.get("params");
        if (params != null && !params.isNull() && !params.isObject()) return 1;
        return 0;
    }

    // ---- generators

    static Arbitrary<String> hostileText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.of("\\ud800", "\\udfff\\ud800", "\\u0000", "é€😀", "\\\"", "</script>", "\\n\\t", "null"),
                Arbitraries.strings().withChars('a', '"', '\\', '\u0001', 'é').ofMinLength(50).ofMaxLength(3000));
    }

    /** A JSON value as text: scalars, numbers past 64 bits, escapes (lone surrogates too), nesting up to a depth. */
    static Arbitrary<String> hostileJson(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-0", "1e400", "-1e-400", "18446744073709551616",
                        "-9223372036854775809", "9223372036854775807", "1.5", "123456789012345678901234567890"),
                Arbitraries.longs().map(l -> Long.toString(l)),
                hostileText().map(s -> "\"" + jsonEscapeKeepingBackslashEscapes(s) + "\""));
        if (depth <= 0) return scalar;
        Arbitrary<String> inner = Arbitraries.lazy(() -> hostileJson(depth - 1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, scalar),
                net.jqwik.api.Tuple.of(1, inner.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]")),
                net.jqwik.api.Tuple.of(1, Combinators.combine(hostileText(), inner).as((k, v) -> "{\"" + jsonEscapeKeepingBackslashEscapes(k) + "\":" + v + "}")));
    }

    /** Escapes quotes and control characters; a backslash followed by 'u' or '"' (an escape we wrote on purpose) stays. */
    static String jsonEscapeKeepingBackslashEscapes(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean escape = c == '\\' && i + 1 < s.length() && "u\"ntr\\".indexOf(s.charAt(i + 1)) >= 0;
            if (escape) {
                b.append(c).append(s.charAt(++i));
            } else if (c == '\\') {
                b.append("\\\\");
            } else if (c == '"') {
                b.append("\\\"");
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        String out = b.toString();
        // a \\u escape cut short at the end would make the whole frame a parse error: fine, but keep most frames valid
        return out.endsWith("\\") && !out.endsWith("\\\\") ? out + "\\" : out;
    }

    static Arbitrary<String> method() {
        return Arbitraries.of("echo", "boom", "key", "quota", "stream", "cancel", "no.such", "");
    }

    static String request(String idJson, String method, String params) {
        StringBuilder b = new StringBuilder("{\"jsonrpc\":\"2.0\"");
        if (idJson != null) b.append(",\"id\":").append(idJson);
        b.append(",\"method\":\"").append(method).append('"');
        if (params != null) b.append(",\"params\":").append(params);
        return b.append('}').toString();
    }

    static Arbitrary<String> params() {
        return Arbitraries.oneOf(
                hostileJson(3).map(v -> "{\"value\":" + v + ",\"key\":" + v + ",\"bytes\":" + v + ",\"requestId\":" + v + "}"),
                hostileJson(2));
    }

    /** One non-terminal frame; {@code n} makes ids unique within a stream. */
    static Arbitrary<Frame> frame(int n) {
        String id = "\"f" + n + "\"";
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)
                        .map(b -> new Frame(Kind.RANDOM_BYTES, framed(b), oracle(b), null, false))),
                net.jqwik.api.Tuple.of(3, Combinators.combine(method(), params(), Arbitraries.integers().between(0, 400))
                        .as((m, p, cut) -> {
                            byte[] all = request(id, m, p).getBytes(StandardCharsets.UTF_8);
                            byte[] body = java.util.Arrays.copyOf(all, Math.min(all.length, cut));
                            return new Frame(Kind.TRUNCATED_JSON, framed(body), oracle(body), null, false);
                        })),
                net.jqwik.api.Tuple.of(10, Combinators.combine(method(), params()).as((m, p) -> {
                    byte[] body = request(id, m, p).getBytes(StandardCharsets.UTF_8);
                    return new Frame(Kind.REQUEST, framed(body), oracle(body), oracle(body) == 1 && parses(body) ? "f" + n : null, false);
                })),
                net.jqwik.api.Tuple.of(3, Combinators.combine(method(), params()).as((m, p) -> {
                    byte[] body = request(null, m, p).getBytes(StandardCharsets.UTF_8);
                    return new Frame(Kind.NOTIFICATION, framed(body), oracle(body), null, false);
                })),
                net.jqwik.api.Tuple.of(2, Combinators.combine(method(), params()).as((m, p) -> {
                    byte[] body = request("null", m, p).getBytes(StandardCharsets.UTF_8);
                    return new Frame(Kind.NULL_ID, framed(body), 1, null, false);
                })),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("true", "1.5", "{}", "[]", "18446744073709551616").map(bad -> {
                    byte[] body = request(bad, "echo", null).getBytes(StandardCharsets.UTF_8);
                    return new Frame(Kind.BAD_ID, framed(body), 1, null, false);
                })),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1025, 300_000).map(len -> {
                    byte[] body = request("\"" + "i".repeat(len) + "\"", "echo", null).getBytes(StandardCharsets.UTF_8);
                    return new Frame(Kind.LONG_ID, framed(body), 1, null, false);
                })),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1001, 5000).map(depth -> {
                    byte[] body = request(id, "echo", "{\"value\":" + "[".repeat(depth) + "]".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8);
                    return new Frame(Kind.DEEP_NESTING, framed(body), 1, null, false);
                })),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Frame(Kind.EMPTY, framed(new byte[0]), 1, null, false))),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 4096).map(over -> {
                    byte[] wire = new byte[4 + CAP + over];
                    System.arraycopy(header(CAP + over, ByteOrder.nativeOrder()), 0, wire, 0, 4);
                    return new Frame(Kind.OVERSIZED_SKIPPED, wire, 1, null, false);
                })),
                net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.of("method", "echo", "boom", "key", "stream"),
                        Arbitraries.integers().between(1_050_000, 1_150_000)).as((where, len) -> {
                    String big = "x".repeat(len); // over the 1 MiB the host may write, under the 1.2 MB it reads
                    String body = switch (where) {
                        case "method" -> request(id, big, null);
                        case "key" -> request(id, "key", "{\"key\":\"" + big + "\"}");
                        default -> request(id, where, "{\"value\":\"" + big + "\"}");
                    };
                    byte[] b = body.getBytes(StandardCharsets.UTF_8);
                    return new Frame(Kind.HUGE_ECHO, framed(b), 1, "f" + n, false);
                })));
    }

    static boolean parses(byte[] body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            return n != null && n.isObject() && n.path("jsonrpc").asText("").equals("2.0");
        } catch (Exception e) {
            return false;
        }
    }

    /** What may end a stream: nothing, an implausible length (answered, then closed), a frame cut short. */
    static Arbitrary<Frame> ending() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just((Frame) null)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(4L * CAP + 1, 0xFFFF_FFFFL).map(len ->
                        new Frame(Kind.IMPLAUSIBLE_LENGTH, header(len, ByteOrder.nativeOrder()), 1, null, true))),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(20, 300).map(len -> {
                    byte[] body = request("\"w\"", "echo", "{\"value\":\"" + "w".repeat(len) + "\"}").getBytes(StandardCharsets.UTF_8);
                    ByteOrder wrong = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                    ByteArrayOutputStream w = new ByteArrayOutputStream();
                    w.writeBytes(header(body.length, wrong));
                    w.writeBytes(body);
                    return new Frame(Kind.WRONG_BYTE_ORDER, w.toByteArray(), wrongOrderAnswers(body.length), null, true);
                })),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 500).map(len -> {
                    byte[] partial = new byte[4 + len / 2];
                    System.arraycopy(header(len, ByteOrder.nativeOrder()), 0, partial, 0, 4);
                    return new Frame(Kind.CUT_STREAM, partial, 0, null, true);
                })));
    }

    /**
     * What a frame of {@code bodyLength} bytes whose length header is in the wrong byte order deserves when it ends
     * the stream. Under 256 bytes the swapped length is 16 MiB or more: over the cap, answered -32001 (then closed,
     * or skipped until the stream ends). From 256 bytes on it can be a plausible 64 KiB or so: the host waits for a
     * body that never comes, and a stream cut inside a frame deserves no answer.
     */
    static int wrongOrderAnswers(int bodyLength) {
        ByteOrder wrong = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        long seen = Integer.toUnsignedLong(ByteBuffer.wrap(header(bodyLength, wrong)).order(ByteOrder.nativeOrder()).getInt());
        return seen > CAP ? 1 : 0;
    }

    /** A stream: up to {@code max} frames, a sentinel request, maybe a terminal frame. */
    static Arbitrary<List<Frame>> streams(int max) {
        return streams(max, true);
    }

    static Arbitrary<List<Frame>> streams(int max, boolean terminal) {
        return Arbitraries.integers().between(1, max).flatMap(count -> {
            List<Arbitrary<Frame>> parts = new ArrayList<>();
            for (int i = 0; i < count; i++) parts.add(frame(i));
            Arbitrary<Frame> ending = terminal ? ending() : Arbitraries.just((Frame) null);
            return Combinators.combine(Combinators.combine(parts).as(l -> l), ending).as((frames, end) -> {
                List<Frame> all = new ArrayList<>(frames);
                byte[] sentinel = request("\"sentinel\"", "echo", "{\"value\":\"still here\"}").getBytes(StandardCharsets.UTF_8);
                all.add(new Frame(Kind.REQUEST, framed(sentinel), 1, "sentinel", false));
                if (end != null) all.add(end);
                return all;
            });
        });
    }

    /** Where a fuzzed stream goes: a host's input, and its output read to the end. */
    interface Target extends AutoCloseable {
        void writeRaw(byte[] bytes) throws java.io.IOException;

        void closeInput() throws java.io.IOException;

        /** The host's next frame, null once it closed its output. */
        byte[] nextRaw() throws java.io.IOException;
    }

    static Target pipeHost() throws java.io.IOException {
        PipeHost host = new PipeHost(registry(), CAP);
        return new Target() {
            @Override
            public void writeRaw(byte[] bytes) throws java.io.IOException {
                host.writeRaw(bytes);
            }

            @Override
            public void closeInput() throws java.io.IOException {
                host.closeInput();
            }

            @Override
            public byte[] nextRaw() throws java.io.IOException {
                return host.nextRaw();
            }

            @Override
            public void close() throws Exception {
                host.close();
            }
        };
    }

    /** Sends the stream to a fresh in-process session and ends its input at once (the session drains its work). */
    static void check(List<Frame> stream) throws Exception {
        try (Target host = pipeHost()) {
            check(stream, host, false);
        }
    }

    /**
     * Sends the stream, then ends the host's input — at once, or (for a proxy, which drops what is in flight
     * when its browser goes) once every answer deserved has come — and reads everything the host writes until
     * it closes. Checks: it closes (no hang), every frame under the cap, exactly the answers deserved, one per id.
     */
    static void check(List<Frame> stream, Target host, boolean closeAfterAnswers) throws Exception {
        int deserved = stream.stream().mapToInt(Frame::answers).sum();
        List<byte[]> written = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch allAnswered = new java.util.concurrent.CountDownLatch(deserved);
        CompletableFuture<Void> out = CompletableFuture.runAsync(() -> {
            try {
                byte[] f;
                while ((f = host.nextRaw()) != null) {
                    written.add(f);
                    if (!Json.MAPPER.readTree(f).has("method")) allAnswered.countDown();
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        CompletableFuture<Void> in = CompletableFuture.runAsync(() -> {
            try {
                for (Frame f : stream) host.writeRaw(f.wire());
                // hang guard, not a speed check
                if (closeAfterAnswers) allAnswered.await(120, TimeUnit.SECONDS);
                host.closeInput();
            } catch (java.io.IOException e) {
                // the host closed after a terminal frame: what follows it is not read
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // hang guards (a session that stops answering never closes its output), not speed checks
        out.get(180, TimeUnit.SECONDS);
        in.get(180, TimeUnit.SECONDS);
        Map<String, Integer> perId = new HashMap<>();
        int answers = 0;
        for (byte[] f : written) {
            HOST_FRAMES.increment();
            LARGEST_HOST_FRAME.accumulateAndGet(f.length, Math::max);
            assertThat(f.length).as("host frame size").isLessThanOrEqualTo(FrameWriter.BROWSER_MAX_FRAME_BYTES);
            JsonNode m = Json.MAPPER.readTree(f);
            if (m.has("method")) continue;
            answers++;
            JsonNode id = m.get("id");
            if (id != null && id.isTextual()) perId.merge(id.asText(), 1, Integer::sum);
        }
        assertThat(answers).as("answers to %s", stream).isEqualTo(deserved);
        for (Frame f : stream) {
            if (f.id() != null) assertThat(perId.get(f.id())).as("answers to %s", f).isEqualTo(1);
        }
        FRAMES.add(stream.size());
        ANSWERS.add(answers);
        for (Frame f : stream) BY_KIND.computeIfAbsent(f.kind(), k -> new LongAdder()).increment();
    }

    static void reset() {
        FRAMES.reset();
        ANSWERS.reset();
        HOST_FRAMES.reset();
        LARGEST_HOST_FRAME.set(0);
        BY_KIND.clear();
    }

    static String report(String title) {
        StringBuilder b = new StringBuilder(title).append(": ").append(FRAMES.sum()).append(" frames sent, ")
                .append(ANSWERS.sum()).append(" answers, ").append(HOST_FRAMES.sum()).append(" host frames, largest ")
                .append(LARGEST_HOST_FRAME.get()).append(" bytes\n");
        new java.util.TreeMap<>(BY_KIND).forEach((k, v) -> b.append("  ").append(k).append(": ").append(v.sum()).append('\n'));
        return b.toString();
    }
}
