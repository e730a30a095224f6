package io.llmcp.store;

import io.llmcp.app.HostContext;

/** The host's one {@link BlobStore}: {@code <dataDir>/store.mv}, tuned by the {@code "store"} config section. */
public final class Stores {
    public static final String FILE_NAME = "store.mv";

    private Stores() {
    }

    /** Opens the store on first use and closes it with the host. Throws STORE_UNAVAILABLE when another process holds it. */
    public static BlobStore of(HostContext ctx) {
        return ctx.service(BlobStore.class,
                c -> BlobStore.open(c.dataDir().resolve(FILE_NAME), StoreOptions.from(c.config().section("store"))));
    }
}
