package io.llmcp.store;

import java.nio.ByteBuffer;

/**
 * The index entry of one chunk: where its bytes live in the chunk map, how many blob or partial positions
 * use it, and its length (so stats and frees never load the chunk itself).
 *
 * <p>Invariant kept across every commit: {@code refs} is never lower than the true number of references
 * (references are added before the manifest/partial that uses them, and dropped after). A kill between
 * the two leaves refs too high, never too low; {@link BlobStore#gc} recounts and frees the excess.
 */
record ChunkRef(long id, long refs, int size) {
    byte[] encode() {
        return ByteBuffer.allocate(20).putLong(id).putLong(refs).putInt(size).array();
    }

    static ChunkRef decode(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new ChunkRef(bb.getLong(), bb.getLong(), bb.getInt());
    }

    ChunkRef withRefs(long n) {
        return new ChunkRef(id, n, size);
    }
}
