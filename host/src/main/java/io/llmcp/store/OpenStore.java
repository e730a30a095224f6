package io.llmcp.store;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.StringDataType;

/**
 * One opening of the store file: the MVStore and the maps {@link BlobStore} keeps. Replaced as a whole when
 * MVStore closed itself after a failed write and the store reopens at its last commit; an ingest remembers the
 * opening it started in, so it cannot write into the next one.
 */
final class OpenStore {
    final MVStore mv;
    final ChunkTable chunks;
    final MVMap<String, byte[]> manifests;
    final MVMap<String, byte[]> partials;

    OpenStore(MVStore mv, StoreOptions options) {
        this.mv = mv;
        mv.setRetentionTime(options.retentionMillis());
        chunks = new ChunkTable(mv);
        manifests = mv.openMap("manifests", new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE).valueType(BytesType.INSTANCE));
        partials = mv.openMap("partials", new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE).valueType(BytesType.INSTANCE));
    }
}
