package io.llmcp.store;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.h2.mvstore.SFChunk;
import org.h2.mvstore.SingleFileStore;
import org.h2.mvstore.WriteBuffer;

/**
 * MVStore's single-file store with write buffers that are big enough for one commit and are kept.
 *
 * <p>Why: MVStore serialises each commit into a {@link WriteBuffer} that starts at 1 MiB, grows by half again
 * each time it fills (a new heap array and a copy of everything so far) and is thrown away afterwards when it
 * grew over 4 MiB. One 8 MiB commit of chunk data therefore allocated, zeroed and copied about 25 MiB of heap
 * before the 8 MiB reached the file — a third of the ingest's CPU. A buffer sized for a whole commit from the
 * start is filled once and reused by the next commit.
 *
 * <p>At most {@link #KEPT} buffers are kept (MVStore may hand one to its background writer while serialising the
 * next commit); they are allocated lazily, so a store that only reads never holds one.
 */
final class ReusedBufferFileStore extends SingleFileStore {
    static final int KEPT = 2;
    static final int WRITE_SLICE = 1 << 20;
    private final int capacity;
    private final BlockingQueue<WriteBuffer> kept = new ArrayBlockingQueue<>(KEPT);

    /**
     * @param config        MVStore's file store settings (cache size)
     * @param commitPayload the most chunk bytes a commit carries (commit interval + one chunk)
     */
    ReusedBufferFileStore(Map<String, Object> config, long commitPayload) {
        super(config);
        // Room for the payload plus MVStore's page headers, the B-tree pages of the small maps and the chunk footer.
        this.capacity = (int) Math.min(Integer.MAX_VALUE - 8, commitPayload + (1 << 20));
    }

    /**
     * Writes a commit in slices. The JDK copies a heap buffer into a temporary direct buffer before the system call,
     * and the kernel then copies that into the page cache: done for a whole commit at once, both copies run from
     * and to main memory (the 8+ MiB no longer fit the CPU cache), and profiling showed the kernel's copy costing
     * four times what it costs a plain 1 MiB write. Slices keep both copies in cache.
     */
    @Override
    protected void writeFully(SFChunk chunk, long pos, ByteBuffer src) {
        StoreFaults.beforeWrite(getFileName(), pos, src.remaining());
        int start = src.position();
        int end = src.limit();
        for (int off = start; off < end; off += WRITE_SLICE) {
            int n = Math.min(WRITE_SLICE, end - off);
            super.writeFully(chunk, pos + (off - start), src.duplicate().position(off).limit(off + n));
        }
        src.position(end);
    }

    @Override
    public void sync() {
        StoreFaults.beforeSync(getFileName());
        super.sync();
    }

    @Override
    public WriteBuffer getWriteBuffer() {
        WriteBuffer buff = kept.poll();
        if (buff == null) return new WriteBuffer(capacity);
        buff.clear();
        return buff;
    }

    @Override
    public void releaseWriteBuffer(WriteBuffer buff) {
        // A buffer that had to grow past our size anyway (a huge commit) is not worth keeping.
        if (buff.capacity() <= capacity) kept.offer(buff);
    }
}
