package io.llmcp.cli;

import io.llmcp.api.ApiSettings;
import io.llmcp.api.EngineApi;
import io.llmcp.app.DataDir;
import io.llmcp.engine.EnginePaths;
import io.llmcp.engine.EngineServer;
import io.llmcp.host.Host;
import io.llmcp.host.MethodModule;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmcp serve}: the engine in the foreground with its HTTP API (Ollama's {@code /api} and OpenAI's
 * {@code /v1}, docs/API.md) — the same engine, store and sessions as the browsers and the CLI.
 */
@Command(name = "serve", description = "Run the engine in the foreground with an Ollama- and OpenAI-compatible HTTP API.")
public final class ServeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Extra methods for the engine's host, from the entry point (as {@code engine run} gets them); none by default. */
    private final List<MethodModule> modules;

    ServeCommand() {
        this(List.of());
    }

    ServeCommand(List<MethodModule> modules) {
        this.modules = modules;
    }

    @Option(names = "--port", paramLabel = "P", description = "Port (default: config api.port, else 11435; 0 picks a free one).")
    Integer port;

    @Option(names = "--host", paramLabel = "H", description = "Address to bind (default: config api.host, else 127.0.0.1). "
            + "Beyond loopback an API key is required.")
    String host;

    @Option(names = "--api-key-env", paramLabel = "VAR", description = "Require 'Authorization: Bearer <key>', the key read from this environment variable.")
    String apiKeyEnv;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EnginePaths paths = EnginePaths.resolve();
        Optional<EngineConnection> running = EngineConnection.ifRunning(paths);
        if (running.isPresent()) {
            running.get().close();
            err.println("an engine is already running for this data dir; stop it first ('llmcp engine stop'), or set "
                    + "\"api\": {\"enabled\": true} in config.json and restart it to serve the API from that engine");
            err.flush();
            return 1;
        }
        // Building the root opens nothing: services start on first use, so the refusals below cost no store.
        Host root = Host.open(DataDir.resolve(), modules);
        ApiSettings settings = EngineApi.configured(root.config()).withBind(host, port);
        if (apiKeyEnv != null) {
            String key = System.getenv(apiKeyEnv);
            if (key == null || key.isBlank()) {
                err.println("--api-key-env " + apiKeyEnv + ": that environment variable is not set");
                err.flush();
                root.close();
                return 2;
            }
            settings = settings.withApiKey(key);
        }
        if (!settings.loopbackOnly() && settings.apiKey() == null) {
            err.println("refusing to serve on " + settings.host() + " without an API key: beyond loopback every request must "
                    + "carry one. Set config api.key or pass --api-key-env VAR (or bind 127.0.0.1).");
            err.flush();
            root.close();
            return 2;
        }
        EngineServer engine = new EngineServer(paths, Long.MAX_VALUE / 4_000_000_000L);
        EngineApi api = new EngineApi(settings, server -> {
            out.println("llmcp serving the Ollama API at " + server.url() + "/api and the OpenAI API at " + server.url()
                    + "/v1 (" + server.exposure() + ")");
            out.flush();
        });
        Thread hook = new Thread(() -> {
            engine.stop();
            try {
                engine.awaitFinished(10_000);
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
        }, "serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return engine.run(root.forEngine(api));
        } catch (java.net.BindException e) {
            err.println("cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage()
                    + " (another server uses that port? pick one with --port)");
            err.flush();
            return 1;
        }
    }
}
