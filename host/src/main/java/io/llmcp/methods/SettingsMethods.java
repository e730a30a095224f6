package io.llmcp.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.HostConfig;
import io.llmcp.fetch.FetchSettings;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@code settings.*} namespace: the Hugging Face token for gated repositories, which the panel's token field sets.
 * The token lives in the host's config.json ({@code fetch.token}, owner-only file), never in the browser; no answer
 * ever carries it, only whether one is set, where it comes from, its last four characters and the hosts that see it.
 */
public final class SettingsMethods {
    static final int MAX_TOKEN_LENGTH = 1024;
    private static final String KEY = "fetch.token";

    private final Path dataDir;
    private final HostConfig config;
    private final Map<String, String> env;
    private final Consumer<String> applyToken;

    /**
     * @param config the config the host runs with (updated in place, so services started later see the new token)
     * @param applyToken gives the running downloader the token now in effect (null: none)
     */
    public SettingsMethods(Path dataDir, HostConfig config, Map<String, String> env, Consumer<String> applyToken) {
        this.dataDir = dataDir;
        this.config = config;
        this.env = env;
        this.applyToken = applyToken;
    }

    public void register(MethodRegistry methods) {
        methods.register("settings.token", call -> describe());
        methods.register("settings.setToken", this::setToken);
    }

    ObjectNode describe() {
        FetchSettings fetch;
        boolean inConfig;
        synchronized (config) {
            fetch = FetchSettings.from(config.section("fetch"), env);
            inConfig = config.get(KEY) != null;
        }
        String token = fetch.token();
        ObjectNode out = Json.object().put("set", token != null)
                .put("source", token == null ? "none" : inConfig ? "config" : "HF_TOKEN");
        if (token != null && token.length() >= 12) out.put("endsWith", token.substring(token.length() - 4));
        ArrayNode hosts = out.putArray("hosts");
        fetch.tokenHosts().forEach(hosts::add);
        return out;
    }

    /**
     * {@code {token}} saves it, {@code {token: null}} or {@code ""} removes it (HF_TOKEN, if set, applies again). The
     * file on disk is read afresh and only this key changes: a {@code llmcp config set} made since the engine started
     * is kept.
     */
    ObjectNode setToken(RpcCall call) throws IOException {
        // absent is not null: a call that forgot the field must not remove the token
        if (!call.params().object().has("token")) throw RpcException.invalidParams("token", "is required (a string, or null to remove it)");
        JsonNode v = call.params().get("token");
        if (!v.isNull() && !v.isTextual()) throw RpcException.invalidParams("token", "must be a string or null");
        String token = v.isNull() ? "" : v.asText().trim();
        if (token.length() > MAX_TOKEN_LENGTH) throw RpcException.invalidParams("token", "must be at most " + MAX_TOKEN_LENGTH + " characters");
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            // It goes into an Authorization header: anything but visible ASCII is a paste gone wrong, or an injection.
            if (c < 0x21 || c > 0x7e) throw RpcException.invalidParams("token", "must be visible ASCII characters only (no spaces)");
        }
        synchronized (config) {
            HostConfig onDisk = HostConfig.read(dataDir);
            if (token.isEmpty()) {
                onDisk.unset(KEY);
                config.unset(KEY);
            } else {
                onDisk.set(KEY, Json.MAPPER.getNodeFactory().textNode(token));
                config.set(KEY, Json.MAPPER.getNodeFactory().textNode(token));
            }
            onDisk.save();
            applyToken.accept(FetchSettings.from(config.section("fetch"), env).token());
        }
        return describe();
    }
}
