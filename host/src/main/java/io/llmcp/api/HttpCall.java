package io.llmcp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP request and its response, over the JDK's {@link HttpExchange}: the parsed JSON body, a whole JSON
 * answer, or a stream of lines (NDJSON for Ollama, Server-Sent Events for OpenAI) written and flushed one at a
 * time. A write that fails means the client went away: {@link ClientGone} tells the caller to cancel its work.
 */
public final class HttpCall {
    /** The client closed the connection while we were answering. */
    public static final class ClientGone extends IOException {
        ClientGone(IOException cause) {
            super("the client closed the connection", cause);
        }
    }

    /** An answer that ends the request early with a status and a message; each API shapes it its own way. */
    public static final class Refusal extends RuntimeException {
        public final int status;
        public final String type;

        public Refusal(int status, String type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }

        public static Refusal badRequest(String message) {
            return new Refusal(400, "invalid_request_error", message);
        }
    }

    final HttpExchange exchange;
    private final byte[] body;
    private final String corsOrigin;
    private OutputStream stream;
    private boolean sent;

    HttpCall(HttpExchange exchange, byte[] body, String corsOrigin) {
        this.exchange = exchange;
        this.body = body;
        this.corsOrigin = corsOrigin;
    }

    public String method() {
        return exchange.getRequestMethod();
    }

    public String path() {
        return exchange.getRequestURI().getPath();
    }

    /** The body as a JSON object; an empty body is an empty object; anything else a 400. */
    public ObjectNode json() {
        if (body.length == 0) return Json.object();
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw Refusal.badRequest("the request body is not valid JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) throw Refusal.badRequest("the request body must be a JSON object");
        return (ObjectNode) n;
    }

    public boolean responded() {
        return sent;
    }

    private void headers(String contentType) {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (corsOrigin != null) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", corsOrigin);
            exchange.getResponseHeaders().set("Vary", "Origin");
        }
    }

    /** A whole JSON answer. */
    public void json(int status, JsonNode value) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(value);
        headers("application/json; charset=utf-8");
        sent = true;
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A plain-text answer. */
    public void text(int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        headers("text/plain; charset=utf-8");
        sent = true;
        boolean head = "HEAD".equals(method());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** An answer with no body. */
    public void empty(int status) throws IOException {
        headers("text/plain; charset=utf-8");
        sent = true;
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** Starts a streamed 200 answer of {@code contentType}: chunked, each {@link #write} flushed at once. */
    public void startStream(String contentType) throws ClientGone {
        headers(contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        sent = true;
        try {
            exchange.sendResponseHeaders(200, 0);
        } catch (IOException e) {
            throw new ClientGone(e);
        }
        stream = exchange.getResponseBody();
    }

    public boolean streaming() {
        return stream != null;
    }

    /** Writes and flushes {@code text}; a failure means the client went away. */
    public void write(String text) throws ClientGone {
        try {
            stream.write(text.getBytes(StandardCharsets.UTF_8));
            stream.flush();
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    /** One NDJSON line. */
    public void line(JsonNode value) throws ClientGone {
        try {
            write(Json.MAPPER.writeValueAsString(value) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One Server-Sent Event's data. */
    public void event(String data) throws ClientGone {
        write("data: " + data + "\n\n");
    }

    void finish() {
        try {
            if (stream != null) stream.close();
        } catch (IOException ignored) {
            // the client is gone; nothing to finish
        }
        exchange.close();
    }
}
