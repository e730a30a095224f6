package io.llmcp.store;

import java.util.Map;

/**
 * Tuning of a {@link BlobStore}; the defaults are the setup measured in docs/STORE.md.
 *
 * @param chunkSize      bytes per content-addressed chunk (4 MiB: lowest heap, 0.07 % file overhead; also the
 *                       dedup and resume granularity). Tests use tiny sizes to exercise boundaries.
 * @param commitBytes    new chunk bytes between commits: bounds the heap (≈8–12× this) and what a kill loses.
 *                       8 MiB leaves room for reader threads under -Xmx256m.
 * @param retentionMillis how long freed file space is kept before reuse. 0 reuses at once but is unsafe with
 *                       concurrent readers; MVStore's own 45 s meant a delete-then-pull doubled the file.
 * @param cacheMb        MVStore page cache.
 * @param compress       MVStore's LZF page compression for the whole file. Off by default: model weights do not
 *                       compress and it costs ingest speed (numbers in docs/BENCHMARKS.md, "Store").
 */
public record StoreOptions(int chunkSize, long commitBytes, int retentionMillis, int cacheMb, boolean compress) {
    public static final int DEFAULT_CHUNK = 4 << 20;

    public StoreOptions {
        if (chunkSize < 16 || chunkSize > (16 << 20) - 65536) {
            throw new IllegalArgumentException("chunkSize must be between 16 B and 16 MiB - 64 KiB: " + chunkSize);
        }
        if (commitBytes < chunkSize) commitBytes = chunkSize;
        if (retentionMillis < 0) throw new IllegalArgumentException("retentionMillis must be >= 0");
        if (cacheMb < 1) cacheMb = 1;
    }

    public static StoreOptions defaults() {
        return new StoreOptions(DEFAULT_CHUNK, 8L << 20, 10_000, 16, false);
    }

    /**
     * From the {@code "store"} section of config.json as plain values (what databind reads: numbers and booleans by
     * key); unknown keys are ignored, absent or null ones default. The root reads the section; the config's schema
     * has already left out values of the wrong type.
     */
    public static StoreOptions from(Map<String, ?> section) {
        StoreOptions d = defaults();
        if (section == null) return d;
        return new StoreOptions(
                section.get("chunkSize") instanceof Number n ? n.intValue() : d.chunkSize(),
                section.get("commitBytes") instanceof Number n ? n.longValue() : d.commitBytes(),
                section.get("retentionMillis") instanceof Number n ? n.intValue() : d.retentionMillis(),
                section.get("cacheMb") instanceof Number n ? n.intValue() : d.cacheMb(),
                section.get("compress") instanceof Boolean b ? b : d.compress());
    }

    public StoreOptions withChunkSize(int size) {
        return new StoreOptions(size, Math.max(commitBytes, size), retentionMillis, cacheMb, compress);
    }

    public StoreOptions withCommitBytes(long bytes) {
        return new StoreOptions(chunkSize, bytes, retentionMillis, cacheMb, compress);
    }

    public StoreOptions withCompress(boolean on) {
        return new StoreOptions(chunkSize, commitBytes, retentionMillis, cacheMb, on);
    }
}
