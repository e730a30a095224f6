package io.llmcp.store;

import io.llmcp.failure.Failure;
import io.llmcp.app.HostConfig;
import java.nio.file.Path;

/** The host's one {@link BlobStore}: {@code <dataDir>/store.mv}, tuned by the {@code "store"} config section. */
public final class Stores {
    public static final String FILE_NAME = "store.mv";

    private Stores() {
    }

    /** Opens the store of {@code dataDir}. Throws STORE_UNAVAILABLE when another process holds it. */
    public static BlobStore open(Path dataDir, HostConfig config) {
        return BlobStore.open(dataDir.resolve(FILE_NAME), options(config));
    }

    private static StoreOptions options(HostConfig config) {
        try {
            return StoreOptions.from(config.section("store"));
        } catch (IllegalArgumentException e) {
            throw new StoreException(Failure.STORE_UNAVAILABLE, "invalid \"store\" settings in " + config.file()
                    + ": " + e.getMessage());
        }
    }
}
