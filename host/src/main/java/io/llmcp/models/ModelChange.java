package io.llmcp.models;

import java.util.Locale;

/**
 * What happened to a model in the store. The registry reports each change once it is committed, so every
 * client of the engine (other browsers, a terminal) can refresh what it shows instead of trusting a stale list.
 */
public enum ModelChange {
    /** A pull finished: every file is stored and verified. */
    PULLED,
    /** Deleted on request (or forgotten after a first pull that stored nothing usable). */
    DELETED,
    /** Deleted by the quota to make room (least recently used first). */
    EVICTED,
    PINNED,
    UNPINNED;

    /** The name on the wire: {@code pulled}, {@code deleted}, … */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Told of every committed change; runs on the thread that made it, so it must not block. */
    @FunctionalInterface
    public interface Listener {
        void changed(String modelId, ModelChange change);
    }
}
