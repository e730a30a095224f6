package io.llmcp.methods;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Failure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.fetch.Downloader;
import io.llmcp.fetch.HubApi;
import io.llmcp.fetch.RemoteFile;
import io.llmcp.models.ModelConfig;
import io.llmcp.models.ModelFile;
import io.llmcp.models.ModelRecord;
import io.llmcp.models.ModelRegistry;
import io.llmcp.models.ModelSearch;
import io.llmcp.models.ModelVariants;
import io.llmcp.models.PullPlanner;
import io.llmcp.models.PullService;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The {@code models.*} namespace (docs/PROTOCOL.md, "Models and store"): what the store holds per model
 * ({@code has|list|delete|verify|pin}) and what needs the model's server ({@code pull}, {@code checkUpdate}) or the
 * Hub's API ({@code variants}, {@code search}).
 * Services come as suppliers so registering the table opens nothing: the store opens on the first call.
 */
public final class ModelsMethods {
    private final Supplier<ModelRegistry> registry;
    private final Supplier<PullService> pulls;
    private final Supplier<Downloader> downloader;
    private final Supplier<Jobs> jobs;
    private final LongSupplier availableMemory;
    static final int DEFAULT_SEARCH_LIMIT = 10;
    /** Each result costs the Hub a tree listing too: a page of results, not the whole Hub. */
    static final int MAX_SEARCH_LIMIT = 50;
    static final int MAX_QUERY_LENGTH = 200;

    /** @param availableMemory bytes this machine can give a model now (search says which variants fit) */
    public ModelsMethods(Supplier<ModelRegistry> registry, Supplier<PullService> pulls, Supplier<Downloader> downloader,
                         Supplier<Jobs> jobs, LongSupplier availableMemory) {
        this.registry = registry;
        this.pulls = pulls;
        this.downloader = downloader;
        this.jobs = jobs;
        this.availableMemory = availableMemory;
    }

    /** The Hub at {@code HF_ENDPOINT} (a mirror, or a loopback server in tests), through the downloader's client. */
    private HubApi hub() {
        return new HubApi(downloader.get().client(), HubApi.endpoint(System.getenv()));
    }

    public void register(MethodRegistry methods) {
        methods.register("models.has", call -> has(registry.get(), call.params().requireString("modelId")));
        methods.register("models.list", call -> list(registry.get()));
        methods.register("models.delete", call -> {
            String id = call.params().requireString("modelId");
            long freed = registry.get().deleteModel(id);
            return Json.object().put("modelId", id).put("deleted", freed >= 0).put("bytesFreed", Math.max(0, freed));
        });
        methods.register("models.verify", call -> verify(registry.get(), call.params().requireString("modelId")));
        methods.register("models.pin", call -> {
            String id = call.params().requireString("modelId");
            JsonNode p = call.params().get("pinned");
            if (!p.isBoolean()) throw RpcException.invalidParams("pinned", "is required and must be true or false");
            ModelRecord r = registry.get().pin(id, p.asBoolean());
            return Json.object().put("modelId", id).put("pinned", r.pinned());
        });
        methods.register("models.pull", this::pull);
        methods.register("models.variants", call -> {
            String repo = call.params().requireString("repo");
            String revision = call.params().has("revision") ? call.params().requireString("revision") : "main";
            HubApi hub = hub();
            return ModelListings.variants(repo, revision, hub.resolveBase(repo, revision),
                    ModelVariants.of(hub.tree(repo, revision, call.token())));
        });
        methods.register("models.search", call -> {
            String query = call.params().requireString("query").strip();
            if (query.isEmpty() || query.length() > MAX_QUERY_LENGTH) {
                throw RpcException.invalidParams("query", "must be 1.." + MAX_QUERY_LENGTH + " characters");
            }
            int limit = call.params().optInt("limit", DEFAULT_SEARCH_LIMIT, 1, MAX_SEARCH_LIMIT);
            return ModelListings.search(query, availableMemory.getAsLong(), ModelSearch.search(hub(), query, limit, call.token()));
        });
        methods.register("models.checkUpdate", call -> checkUpdate(call.params().requireString("modelId"), call.token()));
    }

    /**
     * A pull is a job keyed {@code pull:<modelId>}: a second pull of the same model joins the running one
     * (with {@code attach: true} it only joins, never starts), and the download goes on when the client
     * that started it disconnects — the browser closing must not kill a 2 GB download.
     */
    ObjectNode pull(RpcCall call) throws Exception {
        if (call.params().optBoolean("attach", false)) {
            String modelId = call.params().has("config")
                    ? ModelConfig.fromJson(call.params().requireObject("config"), "config").modelId()
                    : call.params().requireString("modelId");
            return (ObjectNode) jobs.get().attach(call, "pull:" + modelId);
        }
        ModelConfig config = ModelConfig.fromJson(call.params().requireObject("config"), "config");
        String key = "pull:" + config.modelId();
        PullService pulls = this.pulls.get();
        return (ObjectNode) jobs.get().run(call, key, true, job -> pulls.pull(config, job.token(),
                event -> job.notify(ProgressNotifications.METHOD, ProgressNotifications.body(config.modelId(), event))));
    }

    ObjectNode checkUpdate(String modelId, CancellationToken token) {
        ModelRegistry registry = this.registry.get();
        ModelRecord record = registry.getModel(modelId)
                .orElseThrow(() -> RpcException.notFound("no model " + modelId + " in the store"));
        Downloader downloader = this.downloader.get();
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
            } catch (DomainException ex) {
                if (ex.failure() != Failure.REMOTE_NOT_FOUND) throw ex;
                changed = true;
                f.put("removed", true);
            }
            f.put("changed", changed);
            any |= changed;
        }
        out.put("updateAvailable", any);
        return out;
    }

    /** The original {@code hasModelData}: known? complete? which of the named files are missing? */
    static ObjectNode has(ModelRegistry registry, String modelId) {
        ObjectNode out = Json.object().put("modelId", modelId);
        var record = registry.getModel(modelId);
        if (record.isEmpty()) {
            out.put("known", false).put("complete", false);
            out.putArray("files");
            out.putArray("missing");
            return out;
        }
        ModelRecord r = record.get();
        List<String> missing = new ArrayList<>();
        for (String path : requiredFiles(r.config())) {
            if (!r.files().containsKey(path)) missing.add(path);
        }
        r.files().forEach((path, f) -> {
            if (registry.store().findBlob(f.sha256()).isEmpty() && !missing.contains(path)) missing.add(path);
        });
        out.put("known", true).put("complete", r.complete() && missing.isEmpty());
        out.set("files", files(r));
        out.set("missing", Json.MAPPER.valueToTree(missing));
        return out;
    }

    /** The files a ModelConfig names itself (the optional tokenizer files are not required). */
    static List<String> requiredFiles(ObjectNode config) {
        Set<String> out = new java.util.LinkedHashSet<>();
        out.add(config.path("modelFileName").asText("onnx/model.onnx"));
        out.add(config.path("configFileName").asText("config.json"));
        String ex = config.path("modelExDataFileName").asText("");
        if (!ex.isEmpty()) out.add(ex);
        return new ArrayList<>(out);
    }

    static ObjectNode list(ModelRegistry registry) {
        ObjectNode out = Json.object();
        ArrayNode arr = out.putArray("models");
        for (ModelRecord r : registry.listModels()) arr.add(summary(r));
        return out;
    }

    static ObjectNode summary(ModelRecord r) {
        ObjectNode m = Json.object().put("modelId", r.modelId())
                .put("name", r.config().path("name").asText(r.modelId()));
        m.set("config", r.config());
        m.set("files", files(r));
        m.put("size", r.size()).put("complete", r.complete()).put("pinned", r.pinned())
                .put("createdAt", r.createdAt()).put("lastUsed", r.lastUsed()).put("loadCount", r.loadCount());
        return m;
    }

    private static ArrayNode files(ModelRecord r) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        r.files().forEach((path, f) -> {
            ObjectNode o = arr.addObject().put("path", path).put("size", f.size()).put("sha256", f.sha256());
            if (f.url() != null) o.put("url", f.url());
            if (f.etag() != null) o.put("etag", f.etag());
            o.put("fetchedAt", f.fetchedAt());
        });
        return arr;
    }

    static ObjectNode verify(ModelRegistry registry, String modelId) {
        ObjectNode out = Json.object().put("modelId", modelId);
        ArrayNode arr = Json.MAPPER.createArrayNode();
        boolean ok = true;
        for (ModelRegistry.FileCheck c : registry.verify(modelId)) {
            ObjectNode o = arr.addObject().put("path", c.path()).put("ok", c.ok()).put("sha256", c.sha256());
            if (!c.ok()) o.put("problem", c.problem());
            ok &= c.ok();
        }
        out.put("ok", ok);
        out.set("files", arr);
        return out;
    }

}
