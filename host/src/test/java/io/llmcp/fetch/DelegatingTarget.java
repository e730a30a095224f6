package io.llmcp.fetch;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A target that forwards everything, for tests that override one method to inject a fault. */
class DelegatingTarget implements DownloadTarget {
    final DownloadTarget d;

    DelegatingTarget(DownloadTarget d) {
        this.d = d;
    }

    @Override
    public long committedBytes() {
        return d.committedBytes();
    }

    @Override
    public String etag() {
        return d.etag();
    }

    @Override
    public void setSource(String url, String etag, long expectedSize) throws IOException {
        d.setSource(url, etag, expectedSize);
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
        d.write(data);
    }

    @Override
    public void checkpoint() throws IOException {
        d.checkpoint();
    }

    @Override
    public void restart() throws IOException {
        d.restart();
    }

    @Override
    public FinishedFile finish(String expectedSha256, long expectedSize) throws IOException {
        return d.finish(expectedSha256, expectedSize);
    }

    @Override
    public void discard() throws IOException {
        d.discard();
    }
}
