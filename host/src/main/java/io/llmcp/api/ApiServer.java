package io.llmcp.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's HTTP API (docs/API.md): Ollama's {@code /api/*} and OpenAI's {@code /v1/*} on one port, served
 * by the JDK's own HTTP server (chunked streaming, keep-alive, no extra dependency), every request checked
 * before it reaches a route: Host header (DNS rebinding), Origin (browsers' cross-origin requests), API key,
 * body size. Routes reach the engine only through {@link EngineCalls}.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    /** One endpoint. */
    @FunctionalInterface
    interface Route {
        void handle(HttpCall call) throws Exception;
    }

    private final ApiSettings settings;
    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final OllamaApi ollama;
    private final OpenAiApi openai;

    private ApiServer(ApiSettings settings, HttpServer server, EngineCalls engine) {
        this.settings = settings;
        this.server = server;
        ModelQueue queue = new ModelQueue(settings.parallel(), settings.queue());
        this.ollama = new OllamaApi(engine, queue);
        this.openai = new OpenAiApi(engine, queue);
        ollama.register(routes);
        openai.register(routes);
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "api-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::serve);
    }

    /**
     * Binds and starts serving. Refuses (IllegalStateException) to bind beyond loopback without an API key.
     * Throws IOException when the address is taken.
     */
    public static ApiServer start(ApiSettings settings, EngineCalls engine) throws IOException {
        if (!settings.loopbackOnly() && settings.apiKey() == null) {
            throw new IllegalStateException("refusing to serve the API on " + settings.host()
                    + ": beyond loopback it needs an API key (config api.key, or llmcp serve --api-key-env VAR)");
        }
        // Streamed tokens are small writes: without TCP_NODELAY, Nagle's algorithm and the client's delayed ACK
        // hold each one back for up to 40 ms. The JDK reads this once, when its first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 64);
        ApiServer api = new ApiServer(settings, server, engine);
        server.start();
        log.info("HTTP API on {} ({})", api.url(), api.exposure());
        return api;
    }

    public String url() {
        InetSocketAddress a = server.getAddress();
        String h = a.getAddress().getHostAddress();
        if (h.contains(":")) h = "[" + h + "]";
        return "http://" + h + ":" + a.getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** What {@code llmcp serve} says at start about who can reach the API. */
    public String exposure() {
        if (settings.loopbackOnly()) {
            return "loopback only" + (settings.apiKey() != null ? ", API key required" : "");
        }
        return "reachable from other machines on " + settings.host() + "; every request needs the API key (Authorization: Bearer)";
    }

    /** Requests being answered now (the engine does not idle-exit while there are any). */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void serve(HttpExchange ex) {
        inFlight.incrementAndGet();
        HttpCall call = null;
        String path = ex.getRequestURI().getPath();
        boolean openaiShape = path.startsWith("/v1/") || path.equals("/v1");
        try {
            String origin = ex.getRequestHeaders().getFirst("Origin");
            String cors = checkHostAndOrigin(ex, origin);
            if ("OPTIONS".equals(ex.getRequestMethod())) {
                preflight(ex, cors);
                return;
            }
            byte[] body = readBody(ex);
            call = new HttpCall(ex, body, cors);
            checkKey(ex);
            Route route = find(ex.getRequestMethod(), path);
            route.handle(call);
        } catch (HttpCall.ClientGone gone) {
            log.debug("{} {}: client went away", ex.getRequestMethod(), path);
        } catch (HttpCall.Refusal r) {
            refuse(ex, call, openaiShape, r);
        } catch (EngineCalls.Failure f) {
            refuse(ex, call, openaiShape, Generations.refusal(f));
        } catch (Exception e) {
            log.warn("{} {} failed", ex.getRequestMethod(), path, e);
            refuse(ex, call, openaiShape, new HttpCall.Refusal(500, "server_error",
                    "internal error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
        } finally {
            if (call != null) call.finish();
            else ex.close();
            inFlight.decrementAndGet();
        }
    }

    private Route find(String method, String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        Route r = routes.get(method + " " + p);
        if (r == null && "HEAD".equals(method)) r = routes.get("GET " + p);
        if (r == null && p.startsWith("/v1/models/") && "GET".equals(method)) r = routes.get("GET /v1/models/*");
        if (r != null) return r;
        boolean otherMethod = routes.keySet().stream().anyMatch(k -> k.endsWith(" " + p));
        if (otherMethod) throw new HttpCall.Refusal(405, "invalid_request_error", method + " is not allowed on " + p);
        throw new HttpCall.Refusal(404, "not_found_error", "no such endpoint: " + method + " " + p + " (see docs/API.md)");
    }

    /** Host must be a loopback name or a configured one; a browser Origin must be allowed. Returns the CORS origin. */
    private String checkHostAndOrigin(HttpExchange ex, String origin) {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null || !hostAllowed(host)) {
            throw new HttpCall.Refusal(403, "permission_error", "Host header " + (host == null ? "missing" : "'" + host + "'")
                    + " is not allowed (DNS rebinding guard); add the name to api.hostNames to serve it");
        }
        if (origin == null) return null;
        String o = ApiSettings.normaliseOrigin(origin);
        if (settings.allowedOrigins().contains(o) || settings.allowedOrigins().contains("*")) return origin;
        throw new HttpCall.Refusal(403, "permission_error", "Origin '" + origin
                + "' is not allowed; add it to api.allowedOrigins in config.json to let that web page call the API");
    }

    boolean hostAllowed(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        String name;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            name = end < 0 ? h : h.substring(0, end + 1);
        } else {
            int colon = h.lastIndexOf(':');
            name = colon < 0 ? h : h.substring(0, colon);
        }
        if (ApiSettings.loopbackNames().contains(name) || settings.hostNames().contains(name)) return true;
        String bound = settings.host().toLowerCase(Locale.ROOT);
        if (bound.contains(":") && !bound.startsWith("[")) bound = "[" + bound + "]";
        return !bound.equals("0.0.0.0") && !bound.equals("[::]") && bound.equals(name);
    }

    private void preflight(HttpExchange ex, String cors) throws IOException {
        if (cors != null) {
            ex.getResponseHeaders().set("Access-Control-Allow-Origin", cors);
            ex.getResponseHeaders().set("Vary", "Origin");
            ex.getResponseHeaders().set("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
            String asked = ex.getRequestHeaders().getFirst("Access-Control-Request-Headers");
            ex.getResponseHeaders().set("Access-Control-Allow-Headers", asked != null ? asked : "Authorization, Content-Type");
            ex.getResponseHeaders().set("Access-Control-Max-Age", "600");
        }
        ex.sendResponseHeaders(204, -1);
    }

    private void checkKey(HttpExchange ex) {
        String key = settings.apiKey();
        if (key == null) return;
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String given = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpCall.Refusal(401, "authentication_error",
                    "this API needs its key: send 'Authorization: Bearer <api.key>'");
        }
    }

    private byte[] readBody(HttpExchange ex) throws IOException {
        long limit = settings.maxBodyBytes();
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limit) {
                    try (InputStream in = ex.getRequestBody()) {
                        drain(in);
                    }
                    throw tooLarge(limit);
                }
            } catch (NumberFormatException e) {
                throw HttpCall.Refusal.badRequest("bad Content-Length");
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (b.length > limit) {
                drain(in);
                throw tooLarge(limit);
            }
            return b;
        }
    }

    /**
     * Reads and drops what is left of a refused body (up to 64 MiB), so the 413 reaches a client that is still
     * sending: closing a socket with unread input resets it, and the client would see that instead.
     */
    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = 64L << 20;
        for (int n; left > 0 && (n = in.read(buf)) > 0; ) left -= n;
    }

    private static HttpCall.Refusal tooLarge(long limit) {
        return new HttpCall.Refusal(413, "invalid_request_error", "request body over " + limit + " bytes (api.maxBodyBytes)");
    }

    private void refuse(HttpExchange ex, HttpCall call, boolean openaiShape, HttpCall.Refusal r) {
        try {
            if (call != null && call.streaming()) {
                // Headers are gone: the error becomes the stream's last item, in the API's own shape.
                if (openaiShape) call.event(Json.MAPPER.writeValueAsString(OpenAiApi.error(r)));
                else call.line(Json.object().put("error", r.getMessage()));
                return;
            }
            if (call != null && call.responded()) return;
            ObjectNode body = openaiShape ? OpenAiApi.error(r) : Json.object().put("error", r.getMessage());
            if (r.status == 413 || r.status == 400 && call == null) ex.getResponseHeaders().set("Connection", "close");
            if (call != null) {
                call.json(r.status, body);
            } else {
                byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
                ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                ex.sendResponseHeaders(r.status, bytes.length);
                try (java.io.OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            log.debug("could not send the error: {}", e.toString());
        }
    }

    static String modelOrRefuse(ObjectNode body, String field) {
        String m = body.path(field).asText("");
        if (m.isBlank()) throw HttpCall.Refusal.badRequest("'" + field + "' is required");
        return m;
    }

    static URI uri(HttpExchange ex) {
        return ex.getRequestURI();
    }
}
