package io.llmcp.store;

import io.llmcp.app.HostContext;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.RpcException;

/** The host's one {@link BlobStore}: {@code <dataDir>/store.mv}, tuned by the {@code "store"} config section. */
public final class Stores {
    public static final String FILE_NAME = "store.mv";

    private Stores() {
    }

    /** Opens the store on first use and closes it with the host. Throws STORE_UNAVAILABLE when another process holds it. */
    public static BlobStore of(HostContext ctx) {
        return ctx.service(BlobStore.class, c -> BlobStore.open(c.dataDir().resolve(FILE_NAME), options(c)));
    }

    private static StoreOptions options(HostContext ctx) {
        try {
            return StoreOptions.from(ctx.config().section("store"));
        } catch (IllegalArgumentException e) {
            throw new RpcException(ErrorCodes.STORE_UNAVAILABLE, "invalid \"store\" settings in " + ctx.config().file()
                    + ": " + e.getMessage());
        }
    }
}
