package io.llmcp.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The HTTP API's settings: config.json's {@code api} section, then {@code llmcp serve}'s options on top.
 *
 * <pre>{"api": {"enabled": false, "host": "127.0.0.1", "port": 11435, "key": null, "allowedOrigins": [],
 *          "hostNames": [], "maxBodyBytes": 8388608, "parallel": 2, "queue": 16}}</pre>
 */
public record ApiSettings(boolean enabled, String host, int port, String apiKey, Set<String> allowedOrigins,
                          Set<String> hostNames, long maxBodyBytes, int parallel, int queue) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** One above Ollama's 11434, so both can run side by side. */
    public static final int DEFAULT_PORT = 11435;
    public static final long DEFAULT_MAX_BODY_BYTES = 8L << 20;

    public ApiSettings {
        allowedOrigins = Set.copyOf(allowedOrigins);
        hostNames = Set.copyOf(hostNames);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("api.port must be 0..65535, not " + port);
        if (parallel < 1) throw new IllegalArgumentException("api.parallel must be at least 1");
        if (queue < 0) throw new IllegalArgumentException("api.queue must not be negative");
    }

    /**
     * Reads config.json's {@code api} section; {@code extensionOrigins} are the installed extension's origins
     * (always allowed as Origin).
     */
    public static ApiSettings fromConfig(JsonNode api, Set<String> extensionOrigins) {
        Set<String> origins = new LinkedHashSet<>(extensionOrigins);
        for (JsonNode n : api.path("allowedOrigins")) origins.add(normaliseOrigin(n.asText()));
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode n : api.path("hostNames")) names.add(n.asText().toLowerCase(Locale.ROOT));
        String key = api.hasNonNull("key") && !api.get("key").asText().isBlank() ? api.get("key").asText() : null;
        return new ApiSettings(api.path("enabled").asBoolean(false), api.path("host").asText(DEFAULT_HOST),
                api.path("port").asInt(DEFAULT_PORT), key, origins, names,
                api.path("maxBodyBytes").asLong(DEFAULT_MAX_BODY_BYTES), api.path("parallel").asInt(2),
                api.path("queue").asInt(16));
    }

    public ApiSettings withBind(String newHost, Integer newPort) {
        return new ApiSettings(true, newHost != null ? newHost : host, newPort != null ? newPort : port, apiKey,
                allowedOrigins, hostNames, maxBodyBytes, parallel, queue);
    }

    public ApiSettings withApiKey(String key) {
        return new ApiSettings(enabled, host, port, key, allowedOrigins, hostNames, maxBodyBytes, parallel, queue);
    }

    /** True when {@link #host} binds only loopback addresses. */
    public boolean loopbackOnly() {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) if (!a.isLoopbackAddress()) return false;
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The extension's origins as browsers send them: {@code chrome-extension://ID} (no trailing slash). */
    public static Set<String> extensionOrigins(Iterable<String> configured) {
        Set<String> out = new LinkedHashSet<>();
        for (String o : configured) {
            if (o.contains("://")) out.add(normaliseOrigin(o));
        }
        return out;
    }

    static String normaliseOrigin(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        while (o.endsWith("/")) o = o.substring(0, o.length() - 1);
        return o;
    }

    public static List<String> loopbackNames() {
        return List.of("localhost", "127.0.0.1", "[::1]", "::1");
    }
}
