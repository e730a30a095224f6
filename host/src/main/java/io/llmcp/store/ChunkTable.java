package io.llmcp.store;

import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.RpcException;
import java.nio.ByteBuffer;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.LongDataType;

/**
 * The chunks and their reference counts — the "seqpad" layout of docs/STORE.md. {@code chunks} maps
 * increasing even ids to chunk bytes and id+1 to the chunk's 32-byte hash: a tiny pad, so the right-most leaf each
 * commit rewrites is 32 bytes instead of a 4 MiB chunk (keying chunks by their random hash made the file twice the
 * data). {@code index} maps hash → {@link ChunkRef} (id, references, size), so dedup checks and frees never load
 * chunk bytes. Writers hold the {@link BlobStore}'s monitor; reads are lock-free.
 */
final class ChunkTable {
    private final MVMap<Long, ByteBuffer> chunks;
    private final MVMap<byte[], byte[]> index;
    private long nextId;
    /** Chunk bytes added since the last commit: the store commits every {@code commitBytes}. */
    long unsavedBytes;

    ChunkTable(MVStore mv) {
        chunks = mv.openMap("chunks", new MVMap.Builder<Long, ByteBuffer>().keyType(LongDataType.INSTANCE).valueType(ChunkValueType.INSTANCE));
        index = mv.openMap("index", new MVMap.Builder<byte[], byte[]>().keyType(BytesType.INSTANCE).valueType(BytesType.INSTANCE));
        Long last = chunks.lastKey();
        nextId = last == null ? 0 : (last | 1) + 1;
    }

    MVMap<byte[], byte[]> index() {
        return index;
    }

    /** Adds a reference to the chunk {@code hash}, storing its bytes only when it is new. */
    void add(byte[] hash, byte[] bytes) {
        byte[] e = index.get(hash);
        if (e != null) {
            ChunkRef r = ChunkRef.decode(e);
            index.put(hash, r.withRefs(r.refs() + 1).encode());
            return;
        }
        long id = nextId;
        nextId += 2;
        chunks.put(id, ByteBuffer.wrap(bytes));
        chunks.put(id + 1, ByteBuffer.wrap(hash)); // the pad
        index.put(hash, new ChunkRef(id, 1, bytes.length).encode());
        unsavedBytes += bytes.length;
    }

    /** Drops one reference; at zero removes the chunk and returns its size. */
    long release(byte[] hash) {
        byte[] e = index.get(hash);
        if (e == null) return 0;
        ChunkRef r = ChunkRef.decode(e);
        if (r.refs() > 1) {
            index.put(hash, r.withRefs(r.refs() - 1).encode());
            return 0;
        }
        return free(hash, r);
    }

    long free(byte[] hash, ChunkRef r) {
        index.remove(hash);
        chunks.remove(r.id());
        chunks.remove(r.id() + 1);
        return r.size();
    }

    /**
     * Bytes of one chunk as a read-only buffer of its own (position 0, limit = length; the cached page value is
     * shared by all readers, so each gets a duplicate). STORE_CORRUPT when the store lost it.
     */
    ByteBuffer bytes(byte[] hash) {
        byte[] e = index.get(hash);
        ByteBuffer b = e == null ? null : chunks.get(ChunkRef.decode(e).id());
        if (b == null) {
            throw new RpcException(ErrorCodes.STORE_CORRUPT, "chunk " + Hashes.hex(hash) + " is missing from the store");
        }
        return b.duplicate();
    }
}
