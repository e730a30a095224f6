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
record ChunkRef(long id, long refs, int size, int pads) {
    /** A chunk with the one pad entry after it (every chunk written before extra pads existed). */
    ChunkRef(long id, long refs, int size) {
        this(id, refs, size, 1);
    }

    /** 20 bytes; a 21st holds the number of pad entries when it is not 1 (so frees never read the next chunk). */
    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(pads == 1 ? 20 : 21).putLong(id).putLong(refs).putInt(size);
        if (pads != 1) b.put((byte) pads);
        return b.array();
    }

    static ChunkRef decode(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new ChunkRef(bb.getLong(), bb.getLong(), bb.getInt(), b.length > 20 ? b[20] : 1);
    }

    ChunkRef withRefs(long n) {
        return new ChunkRef(id, n, size, pads);
    }
}
