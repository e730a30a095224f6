package io.llmcp.store;

import io.llmcp.failure.Failure;
import java.nio.ByteBuffer;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.Page;
import org.h2.mvstore.type.LongDataType;

/**
 * The chunks and their reference counts — the "seqpad" layout of docs/STORE.md. {@code chunks} maps
 * increasing even ids to chunk bytes and id+1 to the chunk's 32-byte hash: a tiny pad, so the right-most leaf each
 * commit rewrites is 32 bytes instead of a 4 MiB chunk (keying chunks by their random hash made the file twice the
 * data). One pad is not always enough: MVStore splits a full leaf in the middle of its keys, not at the big value,
 * so whether the new chunk ends up alone depends on what the leaf held before. After small files (a pull stores
 * config.json and tokenizer.json first) every new chunk stayed in the right-most leaf with its pad, was committed
 * there and rewritten by the next append: half of the chunks were in the file twice (a 96 MiB pull made a 144 MiB
 * file that compaction could not shrink, because every copy was live). So {@link #add} appends further pads (same
 * value, the next ids; their number is in the chunk's {@link ChunkRef}) until the chunk is out of the right-most
 * leaf, which a commit leaves alone afterwards.
 * {@code index} maps hash → {@link ChunkRef} (id, references, size), so dedup checks and frees never load
 * chunk bytes. Writers hold the {@link BlobStore}'s monitor; reads are lock-free.
 */
final class ChunkTable {
    private final MVMap<Long, ByteBuffer> chunks;
    private final MVMap<byte[], byte[]> index;
    /** Chunks at least this big get pads until they leave the right-most leaf; smaller ones cost little to rewrite. */
    static final int PAD_ABOVE = 64 << 10;
    private static final int MAX_PADS = 8;
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
        chunks.put(id, ByteBuffer.wrap(bytes));
        long pad = id + 1;
        chunks.put(pad, ByteBuffer.wrap(hash));
        if (bytes.length >= PAD_ABOVE) {
            for (int i = 1; i < MAX_PADS && inRightmostLeaf(id); i++) chunks.put(++pad, ByteBuffer.wrap(hash));
        }
        nextId = pad + 1;
        index.put(hash, new ChunkRef(id, 1, bytes.length, (int) (pad - id)).encode());
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
        for (long k = r.id() + 1; k <= r.id() + r.pads(); k++) chunks.remove(k); // its pads
        return r.size();
    }

    /** Whether key {@code id} is in the map's right-most leaf, the one the next append modifies. */
    boolean inRightmostLeaf(long id) {
        Page<Long, ByteBuffer> p = chunks.getRootPage();
        while (!p.isLeaf()) p = p.getChildPage(p.getRawChildPageCount() - 1);
        return p.getKeyCount() > 0 && p.getKey(0) <= id;
    }

    /** The chunk map, for tests and verification. */
    MVMap<Long, ByteBuffer> chunks() {
        return chunks;
    }

    /**
     * Bytes of one chunk as a read-only buffer of its own (position 0, limit = length; the cached page value is
     * shared by all readers, so each gets a duplicate). STORE_CORRUPT when the store lost it.
     */
    ByteBuffer bytes(byte[] hash) {
        byte[] e = index.get(hash);
        ByteBuffer b;
        try {
            b = e == null ? null : chunks.get(ChunkRef.decode(e).id());
        } catch (MVStoreException x) {
            if (x.getErrorCode() == DataUtils.ERROR_CLOSED) throw x; // the store failed elsewhere: not this chunk's fault
            // e.g. a page beyond the end of a truncated file
            throw new StoreException(Failure.STORE_CORRUPT, "chunk " + Hashes.hex(hash) + " cannot be read from the store: " + x.getMessage(), null, x);
        }
        if (b == null) {
            throw new StoreException(Failure.STORE_CORRUPT, "chunk " + Hashes.hex(hash) + " is missing from the store");
        }
        return b.duplicate();
    }
}
