package io.llmcp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What both APIs share: running the engine's {@code generate} and {@code embed} for one HTTP request (a turn in
 * the model's queue, tokens to the client as they come, cancel when the client goes away) and turning engine
 * errors into HTTP statuses.
 */
final class Generations {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Generations.class);
    /** Receives each streamed text delta; throwing ClientGone cancels the generation. */
    @FunctionalInterface
    interface Tokens {
        void accept(String delta) throws HttpCall.ClientGone;
    }

    /** A finished generation and how long it took, measured here. */
    record Outcome(JsonNode result, long startedNanos, long endedNanos) {
        String text() {
            return result.path("text").asText();
        }

        int promptTokens() {
            return result.path("promptTokens").asInt();
        }

        int generatedTokens() {
            return result.path("generatedTokens").asInt();
        }

        String finishReason() {
            return result.path("finishReason").asText();
        }

        long totalNanos() {
            return endedNanos - startedNanos;
        }

        long promptNanos() {
            return Math.min(totalNanos(), (long) (result.path("timeToFirstTokenMs").asDouble() * 1e6));
        }
    }

    private final EngineCalls engine;
    private final ModelQueue queue;

    Generations(EngineCalls engine, ModelQueue queue) {
        this.engine = engine;
        this.queue = queue;
    }

    EngineCalls engine() {
        return engine;
    }

    /** Runs {@code generate} with {@code params}; {@code tokens} null for an answer in one piece. */
    Outcome generate(ObjectNode params, Tokens tokens) throws Exception {
        long start = System.nanoTime();
        try (ModelQueue.Turn turn = queue.enter(params.path("modelId").asText())) {
            EngineCalls.Call call = engine.start("generate", params);
            HttpCall.ClientGone[] gone = new HttpCall.ClientGone[1];
            JsonNode result;
            try {
                result = call.run((method, note) -> {
                    if (tokens == null || gone[0] != null || !"generate.token".equals(method)) return;
                    String text = note.path("text").asText();
                    if (text.isEmpty()) return;
                    try {
                        tokens.accept(text);
                    } catch (HttpCall.ClientGone g) {
                        gone[0] = g;
                        call.clientGone();
                    }
                });
            } catch (EngineCalls.Failure f) {
                if (gone[0] != null) {
                    log.info("generate {}: the HTTP client went away; cancelled after {} tokens", params.path("modelId").asText(),
                            f.data().path("generatedTokens").asInt());
                    throw gone[0];
                }
                throw refusal(f);
            }
            return new Outcome(result, start, System.nanoTime());
        }
    }

    /** Runs {@code embed} for {@code texts}. */
    JsonNode embed(String modelId, JsonNode texts, Long keepAliveSeconds) throws Exception {
        ObjectNode p = Json.object().put("modelId", modelId);
        p.set("texts", texts);
        if (keepAliveSeconds != null) p.put("keepAliveSeconds", keepAliveSeconds);
        try (ModelQueue.Turn turn = queue.enter(modelId)) {
            return engine.call("embed", p);
        } catch (EngineCalls.Failure f) {
            throw refusal(f);
        }
    }

    /** An engine error as an HTTP status and message. */
    static HttpCall.Refusal refusal(EngineCalls.Failure f) {
        int status;
        String type;
        switch (f.code()) {
            case ErrorCodes.NOT_FOUND -> {
                status = 404;
                type = "model_not_found";
            }
            case ErrorCodes.INVALID_PARAMS, ErrorCodes.TEMPLATE_ERROR, ErrorCodes.URL_REFUSED -> {
                status = 400;
                type = "invalid_request_error";
            }
            case ErrorCodes.BUSY -> {
                status = 503;
                type = "server_busy";
            }
            case ErrorCodes.HTTP_UNAUTHORIZED -> {
                status = 502;
                type = "upstream_unauthorized";
            }
            case ErrorCodes.CANCELLED -> {
                status = 499;
                type = "cancelled";
            }
            default -> {
                status = 500;
                type = "server_error";
            }
        }
        return new HttpCall.Refusal(status, type, f.getMessage() + " (engine error " + f.code() + ")");
    }

    /** The engine's finish reason in Ollama's and OpenAI's words. */
    static String finishReason(String engineReason) {
        return switch (engineReason) {
            case "length", "context" -> "length";
            default -> "stop";
        };
    }

    private static final Pattern DURATION = Pattern.compile("(-?\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    /**
     * Ollama's {@code keep_alive}: seconds as a number, or a Go duration ("5m", "1h30m", "300ms", "-1"); negative
     * keeps the model loaded, 0 unloads it after the request. Null when absent.
     */
    static Long keepAliveSeconds(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return null;
        if (v.isNumber()) return (long) Math.floor(v.asDouble());
        String s = v.asText().trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) return null;
        if (s.matches("-?\\d+(\\.\\d+)?")) return (long) Math.floor(Double.parseDouble(s));
        Matcher m = DURATION.matcher(s);
        double seconds = 0;
        int at = 0;
        while (m.find()) {
            if (m.start() != at) break;
            double n = Double.parseDouble(m.group(1));
            seconds += switch (m.group(2)) {
                case "h" -> n * 3600;
                case "m" -> n * 60;
                case "s" -> n;
                case "ms" -> n / 1e3;
                case "us", "µs" -> n / 1e6;
                default -> n / 1e9;
            };
            at = m.end();
        }
        if (at != s.length()) throw HttpCall.Refusal.badRequest("keep_alive '" + v.asText() + "' is not a duration (e.g. 300, \"5m\", \"-1\")");
        if (seconds < 0) return -1L;
        return (long) Math.ceil(seconds);
    }
}
