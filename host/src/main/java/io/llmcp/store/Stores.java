package io.llmcp.store;

import io.llmcp.failure.Failure;
import java.nio.file.Path;
import java.util.Map;

/** The host's one {@link BlobStore}: {@code <dataDir>/store.mv}, tuned by the {@code "store"} config section. */
public final class Stores {
    public static final String FILE_NAME = "store.mv";

    private Stores() {
    }

    /**
     * Opens the store of {@code dataDir}, tuned by {@code settings}: the {@code "store"} section of
     * {@code configFile} as plain values ({@link StoreOptions#from}), which the root reads; the file is named when
     * they are invalid. Throws STORE_UNAVAILABLE when another process holds the store.
     */
    public static BlobStore open(Path dataDir, Map<String, ?> settings, Path configFile) {
        return BlobStore.open(dataDir.resolve(FILE_NAME), options(settings, configFile));
    }

    private static StoreOptions options(Map<String, ?> settings, Path configFile) {
        try {
            return StoreOptions.from(settings);
        } catch (IllegalArgumentException e) {
            throw new StoreException(Failure.STORE_UNAVAILABLE, "invalid \"store\" settings in " + configFile
                    + ": " + e.getMessage());
        }
    }
}
