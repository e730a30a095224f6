package io.llmcp.api;

import io.llmcp.app.HostConfig;
import io.llmcp.protocol.MethodRegistry;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's hook: starts the HTTP API over the engine's own method table, when {@code llmcp serve} asks for
 * it or config.json's {@code api.enabled} is true. Same engine, same store, same sessions as the browsers and CLI.
 */
public final class EngineApi {
    private static final Logger log = LoggerFactory.getLogger(EngineApi.class);

    private final ApiSettings forced;
    private final Consumer<ApiServer> onStart;

    /** {@code forced}: {@code llmcp serve}'s settings (the API must start, or the engine fails); null = config decides. */
    public EngineApi(ApiSettings forced, Consumer<ApiServer> onStart) {
        this.forced = forced;
        this.onStart = onStart == null ? s -> { } : onStart;
    }

    /** The settings config.json gives (section {@code api}), with the installed extension's origins allowed. */
    public static ApiSettings configured(HostConfig config) {
        return ApiSettings.fromConfig(config.section("api"), ApiSettings.extensionOrigins(config.allowedOrigins()));
    }

    /** Starts the API if asked for; null when not enabled, or (config-enabled only) when it could not start. */
    public ApiServer start(HostConfig config, MethodRegistry registry) throws java.io.IOException {
        ApiSettings settings = forced != null ? forced : configured(config);
        if (forced == null && !settings.enabled()) return null;
        try {
            ApiServer server = ApiServer.start(settings, new EngineCalls(registry));
            onStart.accept(server);
            return server;
        } catch (java.io.IOException | RuntimeException e) {
            if (forced != null) throw e;
            log.error("the HTTP API (api.enabled) did not start on {}:{}: {}; the engine serves browsers and the CLI without it",
                    settings.host(), settings.port(), e.toString());
            return null;
        }
    }
}
