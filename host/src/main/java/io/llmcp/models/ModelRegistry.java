package io.llmcp.models;

import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.llmcp.protocol.Json;
import io.llmcp.store.BlobStore;
import io.llmcp.store.GcResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.h2.mvstore.MVMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model records, kept in the blob store's file (map {@code models}: modelId → record JSON) so a record and
 * the blobs it names change in one commit. A blob lives as long as some model names it; deleting or evicting the
 * last model that names it frees its chunks.
 *
 * <p>For the puller: put an incomplete record ({@link ModelRecord#create}) before downloading and add each file
 * as it finishes ({@link #addFile}), then mark it complete. Blobs no record names are removed by {@link #gc}
 * only after {@link #ORPHAN_BLOB_GRACE_MILLIS}, so a pull that has not recorded its files yet is safe.
 */
public final class ModelRegistry {
    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    public static final long ORPHAN_BLOB_GRACE_MILLIS = 60 * 60 * 1000L;

    private final BlobStore store;
    // the maps are looked up on every use: the store reopens its file after a failed write, with new map objects
    private volatile Predicate<String> inUse = id -> false;
    private volatile ModelChange.Listener onChange = (id, change) -> { };

    public ModelRegistry(BlobStore store) {
        this.store = store;
        store.stringMap("models");
        store.stringMap("settings");
    }

    public BlobStore store() {
        return store;
    }

    /** The inference layer says which models are loaded or running; those are never evicted. */
    public void setInUse(Predicate<String> inUse) {
        this.inUse = inUse == null ? id -> false : inUse;
    }

    /** Who hears of committed changes (the root broadcasts them to every client of the engine). */
    public void setOnChange(ModelChange.Listener listener) {
        this.onChange = listener == null ? (id, change) -> { } : listener;
    }

    /** After the commit, never inside it: a listener that is slow or fails must not hold or undo the store's write. */
    private void changed(String modelId, ModelChange change) {
        try {
            onChange.changed(modelId, change);
        } catch (RuntimeException e) {
            log.warn("a listener of model changes failed on {} {}: {}", change.wireName(), modelId, e.toString());
        }
    }

    // ---------------------------------------------------------------- records

    /** Stores {@code record}, replacing the previous one; blobs it no longer names (and nobody else does) are freed. */
    public ModelRecord putModel(ModelRecord record) {
        return store.write(() -> {
            Optional<ModelRecord> old = read(record.modelId());
            models().put(record.modelId(), encode(record));
            old.ifPresent(o -> freeUnnamed(blobsOf(o)));
            return record;
        });
    }

    /** Adds or replaces one file of a model that must exist (atomic read-modify-write). */
    public ModelRecord addFile(String modelId, String path, ModelFile file) {
        return store.write(() -> {
            ModelRecord old = require(modelId);
            ModelRecord r = old.withFile(path, file);
            models().put(modelId, encode(r));
            freeUnnamed(blobsOf(old));
            return r;
        });
    }

    public Optional<ModelRecord> getModel(String modelId) {
        return read(modelId);
    }

    public List<ModelRecord> listModels() {
        List<ModelRecord> out = new ArrayList<>();
        for (String v : models().values()) out.add(decode(v));
        out.sort(Comparator.comparing(ModelRecord::modelId));
        return out;
    }

    /**
     * Deletes the record, the blobs only it named, and unfinished downloads under {@code modelId/}.
     * Returns the bytes freed, or -1 when the model is unknown.
     */
    public long deleteModel(String modelId) {
        long freed = delete(modelId);
        if (freed >= 0) changed(modelId, ModelChange.DELETED);
        return freed;
    }

    /** A pull finished with every file verified: the record says complete, and clients hear {@code pulled}. */
    public ModelRecord markPulled(String modelId) {
        ModelRecord r = store.write(() -> {
            ModelRecord done = require(modelId).withComplete(true);
            models().put(modelId, encode(done));
            return done;
        });
        changed(modelId, ModelChange.PULLED);
        return r;
    }

    private long delete(String modelId) {
        return store.write(() -> {
            Optional<ModelRecord> old = read(modelId);
            long freed = 0;
            for (String key : store.partialKeys()) {
                if (key.startsWith(modelId + "/")) store.discardPartial(key);
            }
            if (old.isEmpty()) return -1L;
            models().remove(modelId);
            freed += freeUnnamed(blobsOf(old.get()));
            log.info("deleted model {} ({} bytes freed)", modelId, freed);
            return freed;
        });
    }

    /**
     * Removes the record of a model that names no file and has no unfinished download under {@code modelId/}:
     * what a pull that failed before storing anything (a wrong URL, a 404) leaves behind. True when removed.
     */
    public boolean forgetIfNothingStored(String modelId) {
        boolean forgotten = store.write(() -> {
            Optional<ModelRecord> r = read(modelId);
            if (r.isEmpty() || !r.get().files().isEmpty()) return false;
            for (String key : store.partialKeys()) {
                if (key.startsWith(modelId + "/")) return false;
            }
            models().remove(modelId);
            log.info("forgot model {}: its first pull stored nothing", modelId);
            return true;
        });
        if (forgotten) changed(modelId, ModelChange.DELETED);
        return forgotten;
    }

    /**
     * Records a load: last used now, load count + 1. False when the model is unknown. Called when inference
     * loads a session, never per request: it writes the record and commits, which a warm request must not wait for.
     */
    public boolean recordLoad(String modelId) {
        return store.write(() -> read(modelId).map(r -> {
            models().put(modelId, encode(r.touched(System.currentTimeMillis())));
            return true;
        }).orElse(false));
    }

    public ModelRecord pin(String modelId, boolean pinned) {
        boolean[] was = new boolean[1];
        ModelRecord r = store.write(() -> {
            ModelRecord old = require(modelId);
            was[0] = old.pinned();
            ModelRecord updated = old.withPinned(pinned);
            models().put(modelId, encode(updated));
            return updated;
        });
        // pinning a pinned model changes nothing, and nobody needs to hear of it
        if (was[0] != pinned) changed(modelId, pinned ? ModelChange.PINNED : ModelChange.UNPINNED);
        return r;
    }

    // ---------------------------------------------------------------- quota, gc

    /** 0 = no quota. */
    public long quotaBytes() {
        String v = settings().get("quotaBytes");
        return v == null ? 0 : Long.parseLong(v);
    }

    /** Sets the quota (0 = none) and evicts least-recently-used models until the store fits; returns them. */
    public List<String> setQuota(long bytes) {
        if (bytes < 0) throw ModelException.invalidInput("bytes", "must be >= 0");
        store.write(() -> settings().put("quotaBytes", Long.toString(bytes)));
        List<String> evicted = enforceQuota(null);
        // a quota is about disk space: hand what the evicted models took back to the file system
        if (!evicted.isEmpty()) store.compact();
        return evicted;
    }

    /**
     * Evicts models, least recently used first, until the stored bytes fit the quota. Pinned models, models
     * {@link #setInUse in use} and {@code keep} (the model just pulled) are skipped; if only those remain the
     * store stays over quota.
     */
    public List<String> enforceQuota(String keep) {
        return evictUntil(0, keep);
    }

    /**
     * Before a pull of {@code incomingBytes}: evicts least-recently-used models (same rules as
     * {@link #enforceQuota}) until they fit under the quota, or throws QUOTA_EXCEEDED (evicting nothing) when
     * they cannot fit even with every evictable model gone. No-op without a quota.
     */
    public List<String> ensureRoom(long incomingBytes, String keep) {
        long quota = quotaBytes();
        if (quota <= 0) return List.of();
        synchronized (store) {
            long stored = store.stats().storedBytes();
            long evictable = listModels().stream()
                    .filter(r -> !r.pinned() && !r.modelId().equals(keep) && !inUse.test(r.modelId()))
                    .mapToLong(ModelRecord::size).sum();
            if (stored - evictable + incomingBytes > quota) {
                throw new ModelException(Failure.QUOTA_EXCEEDED, "the store quota (" + quota + " bytes) cannot fit "
                        + incomingBytes + " more bytes even after evicting every unpinned model not in use; raise it with "
                        + "store.setQuota or delete models", Details.of("quotaBytes", quota, "storedBytes", stored, "neededBytes", incomingBytes));
            }
            return evictUntil(incomingBytes, keep);
        }
    }

    private List<String> evictUntil(long incomingBytes, String keep) {
        List<String> evicted = new ArrayList<>();
        long quota = quotaBytes();
        if (quota <= 0) return evicted;
        synchronized (store) {
            while (store.stats().storedBytes() + incomingBytes > quota) {
                Optional<ModelRecord> victim = listModels().stream()
                        .filter(r -> !r.pinned() && !r.modelId().equals(keep) && !inUse.test(r.modelId()))
                        .min(Comparator.comparingLong(ModelRecord::lastUsed).thenComparing(ModelRecord::modelId));
                if (victim.isEmpty()) break;
                delete(victim.get().modelId());
                evicted.add(victim.get().modelId());
            }
        }
        if (!evicted.isEmpty()) log.info("quota {} bytes: evicted {}", quota, evicted);
        for (String id : evicted) changed(id, ModelChange.EVICTED);
        return evicted;
    }

    /** Every blob some model names. */
    public Set<String> liveBlobs() {
        Set<String> live = new HashSet<>();
        for (ModelRecord r : listModels()) live.addAll(blobsOf(r));
        return live;
    }

    /** Store GC with this registry's blobs as roots. */
    public GcResult gc() {
        synchronized (store) {
            return store.gc(liveBlobs(), ORPHAN_BLOB_GRACE_MILLIS);
        }
    }

    /** Re-hashes every file of the model: path → problem (null when intact). */
    public List<FileCheck> verify(String modelId) {
        List<FileCheck> out = new ArrayList<>();
        ModelRecord record = require(modelId);
        record.files().forEach((path, f) -> {
            String problem = store.verifyBlob(f.sha256());
            if (problem == null && store.blobSize(f.sha256()) != f.size()) problem = "size differs from the record";
            out.add(new FileCheck(path, f.sha256(), problem));
        });
        // A model a load refuses fails verification too (verify and run must agree): an unfinished pull, or a store
        // file cut short and reopened at an earlier commit, where the record is not complete and files are missing.
        if (!record.complete()) {
            int before = out.size();
            for (String path : namedFiles(record)) {
                if (!record.files().containsKey(path)) {
                    out.add(new FileCheck(path, null, "missing from the store (the download did not finish); pull the model again"));
                }
            }
            if (out.size() == before) out.add(new FileCheck("", null, "the model is only partly downloaded; pull it again to finish"));
        }
        return out;
    }

    /** One file's verification: {@code problem} is null when the file is intact. */
    public record FileCheck(String path, String sha256, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    // ---------------------------------------------------------------- internals

    private ModelRecord require(String modelId) {
        return read(modelId).orElseThrow(() -> new ModelException(Failure.NOT_FOUND, "model '" + modelId + "' is not in the store"));
    }

    /** The files the model's config names (the ONNX file, its external data, config.json) and those its last pull planned. */
    private static List<String> namedFiles(ModelRecord r) {
        List<String> out = new ArrayList<>();
        var c = r.config();
        out.add(c == null ? ModelConfig.DEFAULT_MODEL_FILE : c.path("modelFileName").asText(ModelConfig.DEFAULT_MODEL_FILE));
        String ex = c == null ? "" : c.path("modelExDataFileName").asText("");
        if (!ex.isEmpty()) out.add(ex);
        String conf = c == null ? "config.json" : c.path("configFileName").asText("config.json");
        if (!out.contains(conf)) out.add(conf);
        for (String path : r.planned()) if (!out.contains(path)) out.add(path);
        return out;
    }

    private static Set<String> blobsOf(ModelRecord r) {
        Set<String> s = new HashSet<>();
        r.files().values().forEach(f -> s.add(f.sha256()));
        return s;
    }

    /** Deletes those of {@code candidates} that no record names any more. Caller is inside store.write. */
    private long freeUnnamed(Set<String> candidates) {
        if (candidates.isEmpty()) return 0;
        Set<String> live = liveBlobs();
        long freed = 0;
        for (String sha : candidates) {
            if (!live.contains(sha)) freed += store.deleteBlob(sha);
        }
        return freed;
    }

    private MVMap<String, String> models() {
        return store.stringMap("models");
    }

    private MVMap<String, String> settings() {
        return store.stringMap("settings");
    }

    private Optional<ModelRecord> read(String modelId) {
        String v = models().get(modelId);
        return v == null ? Optional.empty() : Optional.of(decode(v));
    }

    private static String encode(ModelRecord r) {
        try {
            return Json.MAPPER.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ModelRecord decode(String json) {
        try {
            return Json.MAPPER.readValue(json, ModelRecord.class);
        } catch (JsonProcessingException e) {
            throw new ModelException(Failure.STORE_CORRUPT, "a model record in the store is unreadable: " + e.getOriginalMessage());
        }
    }
}
