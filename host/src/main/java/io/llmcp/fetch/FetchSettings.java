package io.llmcp.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code "fetch"} section of the host's config.json. The token lives only here (or in {@code HF_TOKEN}),
 * never in the extension.
 *
 * @param token bearer token for gated repos, or null
 * @param tokenHosts hosts ({@code host} or {@code host:port}) that may see the token; redirects elsewhere never do
 * @param rateLimitBytesPerSecond 0 = unlimited; shared by all downloads of the process
 * @param allowHttpHosts hosts besides loopback that may be fetched over plain http
 * @param parallelParts ranged requests in flight per file (1 = one stream)
 * @param parallelMinBytes files smaller than this always use one stream
 * @param partBytes bytes per ranged part; bounds memory at about parallelParts × partBytes per file
 * @param parallelOnLoopback parts also for servers on this machine (off: measured no faster there, see BENCHMARKS.md)
 */
public record FetchSettings(String token, List<String> tokenHosts, long rateLimitBytesPerSecond, Set<String> allowHttpHosts,
                            int parallelParts, long parallelMinBytes, int partBytes, boolean parallelOnLoopback, Duration connectTimeout,
                            Duration readTimeout, int maxRetries, Duration retryBaseDelay, String userAgent) {

    public static final String DEFAULT_USER_AGENT = "llmcp/" + io.llmcp.app.Version.PRODUCT;

    public static FetchSettings defaults() {
        return new FetchSettings(null, List.of("huggingface.co"), 0, Set.of(), 4, 64L << 20, 4 << 20, false,
                Duration.ofSeconds(15), Duration.ofSeconds(60), 5, Duration.ofMillis(500), DEFAULT_USER_AGENT);
    }

    /** Reads the section; absent keys keep their defaults, the token falls back to {@code HF_TOKEN}. */
    public static FetchSettings from(JsonNode section, Map<String, String> env) {
        FetchSettings d = defaults();
        String token = text(section, "token", env.get("HF_TOKEN"));
        List<String> tokenHosts = section.has("tokenHosts") ? strings(section.get("tokenHosts")) : d.tokenHosts;
        return new FetchSettings(token == null || token.isBlank() ? null : token.trim(), tokenHosts,
                Math.max(0, section.path("rateLimitBytesPerSecond").asLong(0)),
                Set.copyOf(strings(section.path("allowHttpHosts"))),
                Math.max(1, Math.min(16, section.path("parallelParts").asInt(d.parallelParts))),
                Math.max(0, section.path("parallelMinBytes").asLong(d.parallelMinBytes)),
                Math.max(64 << 10, Math.min(64 << 20, section.path("partBytes").asInt(d.partBytes))),
                section.path("parallelOnLoopback").asBoolean(false),
                Duration.ofSeconds(Math.max(1, section.path("connectTimeoutSeconds").asLong(15))),
                Duration.ofSeconds(Math.max(1, section.path("readTimeoutSeconds").asLong(60))),
                Math.max(0, Math.min(20, section.path("maxRetries").asInt(d.maxRetries))),
                Duration.ofMillis(Math.max(0, section.path("retryBaseDelayMillis").asLong(500))),
                text(section, "userAgent", DEFAULT_USER_AGENT));
    }

    public FetchSettings withToken(String token, List<String> tokenHosts) {
        return new FetchSettings(token, tokenHosts, rateLimitBytesPerSecond, allowHttpHosts, parallelParts, parallelMinBytes,
                partBytes, parallelOnLoopback, connectTimeout, readTimeout, maxRetries, retryBaseDelay, userAgent);
    }

    public FetchSettings withRateLimit(long bytesPerSecond) {
        return new FetchSettings(token, tokenHosts, bytesPerSecond, allowHttpHosts, parallelParts, parallelMinBytes,
                partBytes, parallelOnLoopback, connectTimeout, readTimeout, maxRetries, retryBaseDelay, userAgent);
    }

    public FetchSettings withParallel(int parts, long minBytes, int partBytes) {
        return new FetchSettings(token, tokenHosts, rateLimitBytesPerSecond, allowHttpHosts, parts, minBytes,
                partBytes, parallelOnLoopback, connectTimeout, readTimeout, maxRetries, retryBaseDelay, userAgent);
    }

    public FetchSettings withParallelOnLoopback(boolean on) {
        return new FetchSettings(token, tokenHosts, rateLimitBytesPerSecond, allowHttpHosts, parallelParts, parallelMinBytes,
                partBytes, on, connectTimeout, readTimeout, maxRetries, retryBaseDelay, userAgent);
    }

    public FetchSettings withRetries(int maxRetries, Duration baseDelay) {
        return new FetchSettings(token, tokenHosts, rateLimitBytesPerSecond, allowHttpHosts, parallelParts, parallelMinBytes,
                partBytes, parallelOnLoopback, connectTimeout, readTimeout, maxRetries, baseDelay, userAgent);
    }

    public FetchSettings withTimeouts(Duration connect, Duration read) {
        return new FetchSettings(token, tokenHosts, rateLimitBytesPerSecond, allowHttpHosts, parallelParts, parallelMinBytes,
                partBytes, parallelOnLoopback, connect, read, maxRetries, retryBaseDelay, userAgent);
    }

    private static String text(JsonNode section, String field, String fallback) {
        JsonNode n = section.get(field);
        return n != null && n.isTextual() ? n.asText() : fallback;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isTextual()) out.add(n.asText());
        for (JsonNode e : n) if (e.isTextual() && !e.asText().isBlank()) out.add(e.asText().trim());
        return out;
    }
}
