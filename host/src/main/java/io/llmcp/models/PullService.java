package io.llmcp.models;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Failure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.fetch.DownloadResult;
import io.llmcp.fetch.DownloadState;
import io.llmcp.fetch.Downloader;
import io.llmcp.fetch.ProgressEvent;
import io.llmcp.fetch.ProgressListener;
import io.llmcp.fetch.RemoteFile;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.Json;
import io.llmcp.store.BlobStore;
import io.llmcp.store.PartialBlob;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code models.pull}: brings every file of a model into the store. Reads like the data flow:
 * config.json first (it says how many external-data parts there are), then a plan (download, link a blob
 * the store already holds, or skip an absent optional file), then each file straight into the store's
 * resumable ingest, recorded in the model's record as soon as it is verified — so a pull interrupted at
 * any point resumes where it stopped, and finished files are never fetched again.
 */
public final class PullService {
    private static final Logger log = LoggerFactory.getLogger(PullService.class);

    private final ModelRegistry registry;
    private final Downloader downloader;

    public PullService(ModelRegistry registry, Downloader downloader) {
        this.registry = registry;
        this.downloader = downloader;
    }

    public ObjectNode pull(ModelConfig config, CancellationToken token, ProgressListener progress) throws IOException {
        String modelId = config.modelId();
        Optional<ModelRecord> existing = registry.getModel(modelId);
        ModelRecord record = existing
                .map(r -> r.withConfig(config.toJson()))
                .orElseGet(() -> ModelRecord.create(modelId, config.toJson()));
        registry.putModel(record.withComplete(false));
        try {
            return pullFiles(config, token, progress);
        } catch (IOException | RuntimeException e) {
            if (existing.isEmpty()) forgetFailedFirstPull(modelId, e);
            throw e;
        }
    }

    /**
     * A first pull that failed must not leave a model nobody asked for in the list: when the repository is wrong
     * (404, refused URL or file name, not a model) there is nothing to resume, so whatever it stored goes; after
     * a network failure or a cancel the record stays if it holds something, so the next pull resumes.
     */
    private void forgetFailedFirstPull(String modelId, Exception e) {
        Failure failure = e instanceof DomainException d ? d.failure() : null;
        boolean wrongRepository = failure == Failure.REMOTE_NOT_FOUND || failure == Failure.URL_REFUSED
                || failure == Failure.INVALID_INPUT || failure == Failure.MODEL_INVALID;
        if (wrongRepository) {
            registry.deleteModel(modelId);
            log.info("forgot {}: its first pull failed ({})", modelId, e.getMessage());
        } else {
            registry.forgetIfNothingStored(modelId);
        }
    }

    private ObjectNode pullFiles(ModelConfig config, CancellationToken token, ProgressListener progress) throws IOException {
        String modelId = config.modelId();

        PullTally tally = new PullTally();
        // config.json is probed before the plan and again inside it: one HEAD per file and pull is enough
        Map<String, RemoteFile> probed = new HashMap<>();
        Function<String, RemoteFile> head = url -> probed.computeIfAbsent(url, u -> downloader.head(u, token));
        PullPlanner.PlannedFile configFile = PullPlanner.decide(config, PullPlanner.configFile(config), true, head, this::storeHas);
        fetchFile(config, configFile, token, progress, tally);
        JsonNode configJson = readJson(modelId, configFile.path());

        PullPlanner.Plan plan = PullPlanner.plan(config, configJson, head, this::storeHas);
        ChatReadiness.requireTokenizer(modelId, readKind(modelId, configFile.path()), plan.files().stream()
                .anyMatch(f -> f.path().equals(ChatReadiness.TOKENIZER) && f.action() != PullPlanner.Action.ABSENT));
        for (PullPlanner.PlannedFile f : plan.files()) {
            if (f.action() != PullPlanner.Action.ABSENT && !f.path().equals(configFile.path())) {
                progress.onProgress(new ProgressEvent(f.path(), DownloadState.QUEUED, 0, f.remote().size(), 0, -1, null));
            }
        }
        registry.putModel(registry.getModel(modelId).orElseThrow().withPlanned(plan.files().stream()
                .filter(f -> f.action() != PullPlanner.Action.ABSENT).map(PullPlanner.PlannedFile::path).toList()));
        registry.ensureRoom(plan.bytesToDownload(), modelId);
        for (PullPlanner.PlannedFile f : plan.files()) {
            if (f.path().equals(configFile.path()) || f.action() == PullPlanner.Action.ABSENT) continue;
            token.throwIfCancelled();
            fetchFile(config, f, token, progress, tally);
        }
        registry.markPulled(modelId);
        log.info("pulled {}: {} bytes downloaded, {} linked", modelId, tally.downloaded, tally.linked);
        return tally.toJson(modelId);
    }

    private void fetchFile(ModelConfig config, PullPlanner.PlannedFile f, CancellationToken token, ProgressListener progress,
                           PullTally tally) {
        String modelId = config.modelId();
        RemoteFile remote = f.remote();
        Optional<ModelFile> held = registry.getModel(modelId).map(r -> r.files().get(f.path()));
        if (held.isPresent() && alreadyCurrent(held.get(), remote)) {
            progress(progress, f.path(), DownloadState.DONE, held.get().size());
            tally.add(f.path(), held.get(), 0, false);
            return;
        }
        if (f.action() == PullPlanner.Action.LINK) {
            ModelFile file = new ModelFile(remote.sha256(), remote.size(), f.url(), remote.etag(), System.currentTimeMillis());
            registry.addFile(modelId, f.path(), file);
            progress(progress, f.path(), DownloadState.LINKED, remote.size());
            tally.add(f.path(), file, 0, true);
            return;
        }
        BlobStore store = registry.store();
        try (PartialBlob partial = store.openPartial(modelId + "/" + f.path())) {
            StoreDownloadTarget target = new StoreDownloadTarget(partial);
            DownloadResult result = downloader.download(f.request(), target, progress, token);
            ModelFile file = new ModelFile(result.sha256(), result.size(), f.url(), result.etag(), System.currentTimeMillis());
            registry.addFile(modelId, f.path(), file);
            tally.add(f.path(), file, result.bytesDownloaded(), false);
        }
    }

    /** A file we hold is current when the server's SHA-256 (or, lacking one, its ETag and size) still match. */
    private boolean alreadyCurrent(ModelFile held, RemoteFile remote) {
        if (!storeHas(held.sha256())) return false;
        return !PullPlanner.changed(held.sha256(), held.etag(), held.size(), remote);
    }

    private boolean storeHas(String sha256) {
        return sha256 != null && registry.store().findBlob(sha256).isPresent();
    }

    private JsonNode readJson(String modelId, String path) throws IOException {
        ModelFile file = registry.getModel(modelId).map(r -> r.files().get(path))
                .orElseThrow(() -> new ModelException(Failure.MODEL_INVALID, modelId + ": " + path + " is missing"));
        try (InputStream in = registry.store().openBlob(file.sha256())) {
            return Json.MAPPER.readTree(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelException(Failure.MODEL_INVALID, modelId + ": " + path + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** What kind of model config.json describes, read as a record (the kind decides whether it must be able to chat). */
    private ChatReadiness.Kind readKind(String modelId, String path) throws IOException {
        ModelFile file = registry.getModel(modelId).map(r -> r.files().get(path)).orElseThrow();
        try (InputStream in = registry.store().openBlob(file.sha256())) {
            return Json.MAPPER.readValue(in, ChatReadiness.Kind.class);
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            return null; // not an object of that shape (architectures not a list of names): nothing to judge by
        }
    }

    private static void progress(ProgressListener progress, String path, DownloadState state, long size) {
        progress.onProgress(new ProgressEvent(path, state, size, size, 0, 0, null));
    }

    /** What a pull did, file by file: the {@code models.pull} result. */
    private static final class PullTally {
        final ArrayNode files = Json.MAPPER.createArrayNode();
        long downloaded;
        long linked;

        void add(String path, ModelFile file, long bytesDownloaded, boolean wasLinked) {
            files.addObject().put("path", path).put("size", file.size()).put("sha256", file.sha256())
                    .put("bytesDownloaded", bytesDownloaded).put("linked", wasLinked);
            downloaded += bytesDownloaded;
            if (wasLinked) linked += file.size();
        }

        ObjectNode toJson(String modelId) {
            ObjectNode out = Json.object().put("modelId", modelId);
            out.set("files", files);
            out.put("bytesDownloaded", downloaded).put("bytesLinked", linked);
            return out;
        }
    }
}
