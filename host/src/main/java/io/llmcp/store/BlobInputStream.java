package io.llmcp.store;

import java.io.InputStream;
import java.nio.ByteBuffer;

/** Streams one blob chunk by chunk: at most one chunk of it is on the heap at a time. */
final class BlobInputStream extends InputStream {
    private final BlobStore store;
    private final Manifest manifest;
    private int nextChunk;
    private ByteBuffer current = ByteBuffer.allocate(0);

    BlobInputStream(BlobStore store, Manifest manifest) {
        this.store = store;
        this.manifest = manifest;
    }

    private boolean fill() {
        while (!current.hasRemaining()) {
            if (nextChunk >= manifest.chunks().size()) return false;
            current = store.chunkBytes(manifest.chunks().get(nextChunk++));
        }
        return true;
    }

    @Override
    public int read() {
        return fill() ? current.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }

    @Override
    public int available() {
        return current.remaining();
    }
}
