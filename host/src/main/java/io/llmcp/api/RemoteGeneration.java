package io.llmcp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One generation streamed from a remote's {@code /chat/completions} or {@code /completions}: generate's params
 * become the OpenAI request, the SSE deltas become {@code generate.token} notifications, and the result has
 * generate's shape with {@code provider: "remote:NAME"}. Cancelling closes the stream, which stops the remote.
 */
final class RemoteGeneration {
    private final HttpClient http;
    private final RemoteSettings.Remote remote;
    private final String model;
    private final RpcCall call;

    RemoteGeneration(HttpClient http, RemoteSettings.Remote remote, String model, RpcCall call) {
        this.http = http;
        this.remote = remote;
        this.model = model;
        this.call = call;
    }

    JsonNode run() throws Exception {
        JsonNode p = call.params().raw();
        boolean chat = p.has("messages");
        if (chat == p.has("prompt")) throw RpcException.invalidParams("prompt", "give exactly one of 'prompt' and 'messages'");
        ObjectNode body = Json.object().put("model", model).put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        if (chat) body.set("messages", p.get("messages"));
        else body.set("prompt", p.get("prompt"));
        JsonNode g = p.path("params");
        copy(g, "temperature", body, "temperature");
        copy(g, "topP", body, "top_p");
        copy(g, "seed", body, "seed");
        copy(g, "stop", body, "stop");
        copy(g, "maxNewTokens", body, "max_tokens");
        copy(g, "topK", body, "top_k");
        long start = System.nanoTime();
        HttpResponse<InputStream> res;
        try {
            res = http.send(remote.request(chat ? "/chat/completions" : "/completions", Duration.ofMinutes(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new RpcException(ErrorCodes.INFERENCE_FAILED, "remote " + remote.name() + " at " + remote.url()
                    + " is unreachable (" + RemoteProbe.why(e) + "); check that it runs, or fix its URL (the panel's Settings →"
                    + " Remote servers, or 'llmcp remote add " + remote.name() + " --url URL')", RemoteProbe.data(remote));
        }
        if (res.statusCode() != 200) throw failure(res);
        StringBuilder text = new StringBuilder();
        int tokens = 0;
        int promptTokens = 0;
        String finish = "eos";
        double ttftMs = -1;
        InputStream stream = res.body();
        call.token().onCancel(() -> {
            try {
                stream.close();
            } catch (IOException ignored) {
                // closing to stop the remote
            }
        });
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line; !call.token().isCancelled() && (line = in.readLine()) != null; ) {
                if (!line.startsWith("data:")) continue;
                String data = line.substring(5).trim();
                if (data.equals("[DONE]")) break;
                JsonNode ev = Json.MAPPER.readTree(data);
                if (ev.has("error")) {
                    throw new RpcException(ErrorCodes.INFERENCE_FAILED, "remote " + remote.name() + ": "
                            + ev.path("error").path("message").asText(ev.path("error").toString()), RemoteProbe.data(remote));
                }
                if (ev.path("usage").isObject()) {
                    promptTokens = ev.path("usage").path("prompt_tokens").asInt(promptTokens);
                    tokens = ev.path("usage").path("completion_tokens").asInt(tokens);
                }
                for (JsonNode c : ev.path("choices")) {
                    String delta = chat ? c.path("delta").path("content").asText("") : c.path("text").asText("");
                    if (!delta.isEmpty()) {
                        if (ttftMs < 0) ttftMs = (System.nanoTime() - start) / 1e6;
                        text.append(delta);
                        tokens++;
                        call.notify("generate.token", Json.object().put("text", delta).put("tokenId", -1));
                    }
                    String f = c.path("finish_reason").asText("");
                    if (f.equals("length")) finish = "length";
                    else if (f.equals("stop")) finish = "stop";
                }
            }
        } catch (IOException e) {
            if (!call.token().isCancelled()) {
                throw new RpcException(ErrorCodes.INFERENCE_FAILED, "remote " + remote.name() + " broke off: " + e, RemoteProbe.data(remote));
            }
        }
        if (call.token().isCancelled()) finish = "cancelled";
        double seconds = (System.nanoTime() - start) / 1e9;
        ObjectNode r = Json.object().put("text", text.toString());
        r.putArray("tokenIds");
        r.put("promptTokens", promptTokens).put("generatedTokens", tokens).put("finishReason", finish)
                .put("timeToFirstTokenMs", Math.max(0, Math.round(ttftMs * 10) / 10.0))
                .put("tokensPerSecond", seconds > 0 ? Math.round(tokens / seconds * 10) / 10.0 : 0)
                .put("provider", "remote:" + remote.name());
        return r;
    }

    private RpcException failure(HttpResponse<InputStream> res) throws IOException {
        String text;
        try (InputStream in = res.body()) {
            text = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        }
        String message;
        try {
            message = Json.MAPPER.readTree(text).path("error").path("message").asText(text);
        } catch (IOException e) {
            message = text;
        }
        int s = res.statusCode();
        String where = "remote " + remote.name() + " (" + remote.url() + ")";
        if (s == 401 || s == 403) {
            return new RpcException(ErrorCodes.HTTP_UNAUTHORIZED, where + " refused the request (" + s + "): " + message
                    + "; " + RemoteProbe.rekey(remote), RemoteProbe.data(remote).put("status", s));
        }
        if (s == 404) {
            return new RpcException(ErrorCodes.NOT_FOUND, where + " has no model '" + model + "' (" + message
                    + "); 'llmcp list' shows the models it offers as " + remote.name() + "/MODEL",
                    RemoteProbe.data(remote).put("status", s).put("model", model));
        }
        return new RpcException(ErrorCodes.INFERENCE_FAILED, where + " answered " + s + ": " + message,
                RemoteProbe.data(remote).put("status", s));
    }

    private static void copy(JsonNode from, String name, ObjectNode to, String as) {
        JsonNode v = from.get(name);
        if (v != null && !v.isNull()) to.set(as, v);
    }
}
