package io.llmcp.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.h2.mvstore.MVMap;

/**
 * The original design's {@code storeData}/{@code loadData} key–value space ({@code data.*} methods): small JSON
 * values kept in the same store file as the models, so one backup or one lock covers everything.
 */
public final class DataStore {
    private final BlobStore store;

    public DataStore(BlobStore store) {
        this.store = store;
    }

    /** Looked up on every use: the store reopens its file after a failed write, with new map objects. */
    private MVMap<String, String> map() {
        return store.stringMap("data");
    }

    /** Stores JSON text under {@code key} (durably); returns its size in bytes. */
    public long put(String key, String json) {
        store.write(() -> map().put(key, json));
        return json.getBytes(StandardCharsets.UTF_8).length;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(map().get(key));
    }

    public boolean delete(String key) {
        return store.write(() -> map().remove(key)) != null;
    }

    public List<String> keys() {
        return new ArrayList<>(map().keySet());
    }
}
