package io.llmcp.models;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.HostContext;
import io.llmcp.app.Jobs;
import io.llmcp.fetch.Downloader;
import io.llmcp.fetch.RemoteFile;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import java.util.Map;

/** {@code models.pull} and {@code models.checkUpdate}: the methods that talk to the model's server. */
public final class PullMethods {
    private PullMethods() {
    }

    public static void register(MethodRegistry registry, HostContext ctx) {
        registry.register("models.pull", call -> pull(ctx, call));
        registry.register("models.variants", call -> {
            String repo = call.params().requireString("repo");
            String revision = call.params().has("revision") ? call.params().requireString("revision") : "main";
            io.llmcp.fetch.HubApi hub = new io.llmcp.fetch.HubApi(Downloader.of(ctx).client(),
                    io.llmcp.fetch.HubApi.endpoint(System.getenv()));
            return ModelVariants.describe(repo, revision, hub.resolveBase(repo, revision), hub.tree(repo, revision, call.token()));
        });
        registry.register("models.checkUpdate", call -> checkUpdate(ctx, call.params().requireString("modelId"), call.token()));
    }

    /**
     * A pull is a job keyed {@code pull:<modelId>}: a second pull of the same model joins the running one
     * (with {@code attach: true} it only joins, never starts), and the download goes on when the client
     * that started it disconnects — the browser closing must not kill a 2 GB download.
     */
    static ObjectNode pull(HostContext ctx, RpcCall call) throws Exception {
        if (call.params().optBoolean("attach", false)) {
            String modelId = call.params().has("config")
                    ? ModelConfig.fromJson(call.params().requireObject("config"), "config").modelId()
                    : call.params().requireString("modelId");
            return (ObjectNode) Jobs.of(ctx).attach(call, "pull:" + modelId);
        }
        ModelConfig config = ModelConfig.fromJson(call.params().requireObject("config"), "config");
        String key = "pull:" + config.modelId();
        PullService pulls = PullService.of(ctx);
        return (ObjectNode) Jobs.of(ctx).run(call, key, true, job -> pulls.pull(config, job.token(), job::notify));
    }

    static ObjectNode checkUpdate(HostContext ctx, String modelId, CancellationToken token) {
        ModelRegistry registry = ModelRegistry.of(ctx);
        ModelRecord record = registry.getModel(modelId)
                .orElseThrow(() -> RpcException.notFound("no model " + modelId + " in the store"));
        Downloader downloader = Downloader.of(ctx);
        ObjectNode out = Json.object().put("modelId", modelId);
        ArrayNode files = out.putArray("files");
        boolean any = false;
        for (Map.Entry<String, ModelFile> e : record.files().entrySet()) {
            ModelFile held = e.getValue();
            ObjectNode f = files.addObject().put("path", e.getKey()).put("localEtag", held.etag());
            boolean changed;
            try {
                RemoteFile remote = downloader.head(held.url(), token);
                changed = PullPlanner.changed(held.sha256(), held.etag(), held.size(), remote);
                f.put("remoteEtag", remote.etag());
            } catch (RpcException ex) {
                if (ex.code() != ErrorCodes.HTTP_NOT_FOUND) throw ex;
                changed = true;
                f.put("removed", true);
            }
            f.put("changed", changed);
            any |= changed;
        }
        out.put("updateAvailable", any);
        return out;
    }
}
