package io.llmcp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A remote's {@code GET /models}, the one request that shows whether a remote is usable: its models, or a coded
 * error that says what to fix (the URL, the key, the server). Every error's {@code data} carries {@code remote}
 * and {@code url}, so a client can word its advice for a remote server rather than for a model download.
 */
final class RemoteProbe {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private RemoteProbe() {
    }

    /** The remote's {@code data} array of {@code {id, created?, ...}}; throws the failure with its fix. */
    static JsonNode models(HttpClient http, RemoteSettings.Remote r) throws InterruptedException {
        HttpResponse<String> res;
        try {
            res = http.send(r.request("/models", TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unreachable(r, e);
        }
        int s = res.statusCode();
        if (s == 401 || s == 403) {
            throw new RpcException(ErrorCodes.HTTP_UNAUTHORIZED, "remote " + r.name() + " (" + r.url() + ") refused the request (" + s
                    + (r.apiKey() == null ? "): it needs an API key" : "): its API key is wrong or lacks access")
                    + "; " + rekey(r), data(r).put("status", s));
        }
        if (s >= 300 && s < 400) {
            String to = res.headers().firstValue("Location").orElse("?");
            throw new RpcException(ErrorCodes.URL_REFUSED, "remote " + r.name() + " (" + r.url() + ") redirects to " + to
                    + "; redirects are not followed (a key must not travel to another address): give the final API base URL",
                    data(r).put("status", s).put("field", "url"));
        }
        if (s == 404) throw notAnApi(r, "GET " + r.endpoint("/models") + " answered 404", s);
        if (s != 200) {
            throw new RpcException(ErrorCodes.DOWNLOAD_FAILED, "remote " + r.name() + " (" + r.url() + ") answered " + s
                    + " to GET /models: " + clip(res.body()) + "; check that the server runs and is healthy", data(r).put("status", s));
        }
        JsonNode models;
        try {
            models = Json.MAPPER.readTree(res.body()).path("data");
        } catch (IOException e) {
            throw notAnApi(r, "GET " + r.endpoint("/models") + " did not answer JSON", s);
        }
        if (!models.isArray()) throw notAnApi(r, "GET " + r.endpoint("/models") + " has no 'data' list of models", s);
        return models;
    }

    /** The remote could not be reached at all: wrong host or port, or the server is not running. */
    static RpcException unreachable(RemoteSettings.Remote r, IOException e) {
        return new RpcException(ErrorCodes.DOWNLOAD_FAILED, "remote " + r.name() + " at " + r.url() + " is unreachable (" + why(e)
                + "); check that the server runs and that the URL's host and port are right", data(r));
    }

    /** An I/O failure in words; the JDK's client often throws a bare ConnectException for a refused connection. */
    static String why(IOException e) {
        if (e.getMessage() != null && !e.getMessage().isBlank()) return e.getMessage();
        return e instanceof java.net.ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    /** How to give a remote its key, for the panel and the CLI alike. */
    static String rekey(RemoteSettings.Remote r) {
        return "give it the right key in the panel (Settings → Remote servers) or with 'llmcp remote add " + r.name()
                + " --url " + r.url() + " --api-key-env VAR'";
    }

    static ObjectNode data(RemoteSettings.Remote r) {
        return Json.object().put("remote", r.name()).put("url", r.url());
    }

    private static RpcException notAnApi(RemoteSettings.Remote r, String what, int status) {
        return new RpcException(ErrorCodes.HTTP_NOT_FOUND, "remote " + r.name() + " is not an OpenAI-compatible API at " + r.url()
                + " (" + what + "); the URL must be the API base, which ends in /v1 for most servers (vLLM, Ollama, llama.cpp, "
                + "LM Studio, llmcp serve)", data(r).put("status", status).put("field", "url"));
    }

    private static String clip(String body) {
        String t = body == null ? "" : body.strip();
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }
}
