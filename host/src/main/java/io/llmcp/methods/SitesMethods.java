package io.llmcp.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.Params;
import io.llmcp.protocol.RpcException;
import io.llmcp.sites.Origins;
import io.llmcp.sites.SiteGrant;
import io.llmcp.sites.SiteGrants;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code sites.*} namespace: per-site consent for the page API ({@code LanguageModel} on web pages).
 * {@code sites.list}, {@code sites.get {origin}}, {@code sites.allow {origin, model?, always?}},
 * {@code sites.revoke {origin}}. The page-API settings ({@code pageApi.preferLocal}, {@code pageApi.defaultModel})
 * come with {@code list} and {@code get}, so the extension decides from one answer without reading the config.
 */
public final class SitesMethods {
    private final Supplier<SiteGrants> grants;
    private final Supplier<? extends JsonNode> settings;

    /** {@code settings} is the config's {@code pageApi} section, read on every call so edits apply at once. */
    public SitesMethods(Supplier<SiteGrants> grants, Supplier<? extends JsonNode> settings) {
        this.grants = grants;
        this.settings = settings;
    }

    public void register(MethodRegistry methods) {
        methods.register("sites.list", call -> {
            ObjectNode out = withSettings(Json.object());
            ArrayNode sites = out.putArray("sites");
            for (SiteGrant g : grants.get().list()) sites.add(toJson(g));
            return out;
        });
        methods.register("sites.get", call -> {
            String origin = origin(call.params());
            Optional<SiteGrant> grant = grants.get().get(origin);
            ObjectNode out = Json.object().put("origin", origin).put("allowed", grant.isPresent());
            grant.ifPresent(g -> {
                out.put("always", g.always());
                if (g.model() != null) out.put("model", g.model());
                out.put("grantedAt", g.grantedAt());
            });
            return withSettings(out);
        });
        methods.register("sites.allow", call -> {
            Params p = call.params();
            String origin = origin(p);
            String model = p.has("model") && !p.get("model").isNull() ? p.requireString("model") : null;
            JsonNode always = p.get("always");
            if (always != null && !always.isNull() && !always.isBoolean()) {
                throw RpcException.invalidParams("always", "must be a boolean");
            }
            return toJson(grants.get().allow(origin, model, always == null || always.isNull() || always.asBoolean()));
        });
        methods.register("sites.revoke", call -> {
            String origin = origin(call.params());
            boolean revoked = grants.get().revoke(origin);
            return Json.object().put("origin", origin).put("revoked", revoked);
        });
    }

    /** The site normalised, so answers name it as the grants key it (a bad one is invalid params via Failures). */
    private static String origin(Params p) {
        return Origins.normalize(p.requireString("origin"));
    }

    private ObjectNode withSettings(ObjectNode out) {
        JsonNode s = settings.get();
        out.put("preferLocal", s.path("preferLocal").asBoolean(false));
        if (s.hasNonNull("defaultModel")) out.put("defaultModel", s.get("defaultModel").asText());
        return out;
    }

    private static ObjectNode toJson(SiteGrant g) {
        ObjectNode o = Json.object().put("origin", g.origin()).put("always", g.always()).put("grantedAt", g.grantedAt());
        if (g.model() != null) o.put("model", g.model());
        return o;
    }
}
