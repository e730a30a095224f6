package io.llmcp.store;

import java.io.InputStream;

/** Streams one blob chunk by chunk: at most one chunk of it is on the heap at a time. */
final class BlobInputStream extends InputStream {
    private final BlobStore store;
    private final Manifest manifest;
    private int nextChunk;
    private byte[] current = new byte[0];
    private int pos;

    BlobInputStream(BlobStore store, Manifest manifest) {
        this.store = store;
        this.manifest = manifest;
    }

    private boolean fill() {
        while (pos >= current.length) {
            if (nextChunk >= manifest.chunks().size()) return false;
            current = store.chunkBytes(manifest.chunks().get(nextChunk++));
            pos = 0;
        }
        return true;
    }

    @Override
    public int read() {
        return fill() ? current[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return current.length - pos;
    }
}
