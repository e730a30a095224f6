package io.llmcp.sites;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.HostContext;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.Params;
import io.llmcp.protocol.RpcException;
import io.llmcp.store.DataStore;
import io.llmcp.store.Stores;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-site consent for the page API ({@code LanguageModel} on web pages), kept by the host so every browser
 * shares it: {@code sites.list}, {@code sites.get {origin}}, {@code sites.allow {origin, model?, always?}},
 * {@code sites.revoke {origin}}. Lasting grants live in the store under {@code llmcp.sites/<origin>}; a grant
 * with {@code always: false} ("allow once") lives in the engine's memory only. The settings {@code pageApi.*}
 * (preferLocal, defaultModel) come with every answer so the extension need not read the config itself.
 */
public final class SiteMethods {
    static final String PREFIX = "llmcp.sites/";
    /** "Allow once" grants of one host context (one data dir). */
    static final class OnceGrants extends ConcurrentHashMap<String, ObjectNode> {
    }

    private SiteMethods() {
    }

    public static void register(MethodRegistry registry, HostContext ctx) {
        java.util.function.Supplier<Map<String, ObjectNode>> once = () -> ctx.service(OnceGrants.class, c -> new OnceGrants());
        registry.register("sites.list", call -> {
            ObjectNode out = settings(ctx, Json.object());
            ArrayNode sites = out.putArray("sites");
            Map<String, ObjectNode> all = new TreeMap<>(once.get());
            DataStore data = data(ctx);
            for (String key : data.keys()) {
                if (!key.startsWith(PREFIX)) continue;
                read(data, key).ifPresent(site -> all.put(site.path("origin").asText(), site));
            }
            all.values().forEach(sites::add);
            return out;
        });
        registry.register("sites.get", call -> {
            String origin = origin(call.params());
            ObjectNode site = lookup(ctx, origin);
            ObjectNode out = Json.object().put("origin", origin).put("allowed", site != null);
            if (site != null) {
                out.put("always", site.path("always").asBoolean());
                if (site.hasNonNull("model")) out.put("model", site.get("model").asText());
                out.put("grantedAt", site.path("grantedAt").asLong());
            }
            return settings(ctx, out);
        });
        registry.register("sites.allow", call -> {
            Params p = call.params();
            String origin = origin(p);
            String model = p.has("model") && !p.get("model").isNull() ? p.requireString("model") : null;
            boolean always = !p.has("always") || p.get("always").asBoolean(true);
            ObjectNode site = Json.object().put("origin", origin).put("always", always)
                    .put("grantedAt", System.currentTimeMillis());
            if (model != null) site.put("model", model);
            if (always) {
                once.get().remove(origin);
                data(ctx).put(PREFIX + origin, site.toString());
            } else {
                data(ctx).delete(PREFIX + origin);
                once.get().put(origin, site);
            }
            return site;
        });
        registry.register("sites.revoke", call -> {
            String origin = origin(call.params());
            boolean a = once.get().remove(origin) != null;
            boolean b = data(ctx).delete(PREFIX + origin);
            return Json.object().put("origin", origin).put("revoked", a || b);
        });
    }

    static ObjectNode lookup(HostContext ctx, String origin) {
        ObjectNode once = ctx.service(OnceGrants.class, c -> new OnceGrants()).get(origin);
        if (once != null) return once;
        return read(data(ctx), PREFIX + origin).orElse(null);
    }

    private static ObjectNode settings(HostContext ctx, ObjectNode out) {
        ObjectNode s = ctx.config().section("pageApi");
        out.put("preferLocal", s.path("preferLocal").asBoolean(false));
        if (s.hasNonNull("defaultModel")) out.put("defaultModel", s.get("defaultModel").asText());
        return out;
    }

    private static java.util.Optional<ObjectNode> read(DataStore data, String key) {
        return data.get(key).map(json -> {
            try {
                JsonNode n = Json.MAPPER.readTree(json);
                return n.isObject() ? (ObjectNode) n : null;
            } catch (JsonProcessingException e) {
                return null;
            }
        });
    }

    private static DataStore data(HostContext ctx) {
        return ctx.service(DataStore.class, c -> new DataStore(Stores.of(c)));
    }

    /** A web origin, normalised: {@code scheme://host[:port]}, lower-case, default ports left out. */
    static String origin(Params p) {
        String raw = p.requireString("origin");
        return normalize(raw);
    }

    public static String normalize(String raw) {
        try {
            URI u = new URI(raw.trim());
            String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
            String host = u.getHost() == null ? null : u.getHost().toLowerCase(Locale.ROOT);
            if (scheme == null || host == null || !(scheme.equals("http") || scheme.equals("https"))) {
                throw RpcException.invalidParams("origin", "must be an http(s) origin such as https://example.com");
            }
            int port = u.getPort();
            boolean dflt = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
            return scheme + "://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + (dflt ? "" : ":" + port);
        } catch (java.net.URISyntaxException e) {
            throw new RpcException(ErrorCodes.INVALID_PARAMS, "invalid params: 'origin' is not a URL",
                    Json.object().put("field", "origin"));
        }
    }
}
