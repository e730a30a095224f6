package io.llmcp.models;

import io.llmcp.fetch.DownloadTarget;
import io.llmcp.store.BlobInfo;
import io.llmcp.store.PartialBlob;
import java.nio.ByteBuffer;

/** A download written straight into the store: the downloader's target is the store's resumable ingest. */
public final class StoreDownloadTarget implements DownloadTarget {
    private final PartialBlob partial;
    private BlobInfo finished;

    public StoreDownloadTarget(PartialBlob partial) {
        this.partial = partial;
    }

    @Override
    public long committedBytes() {
        // Where the next byte goes in this process; after a crash the partial reopens at its durable prefix.
        return partial.bytesWritten();
    }

    @Override
    public String etag() {
        return partial.etag();
    }

    @Override
    public void setSource(String url, String etag, long expectedSize) {
        partial.setSource(url, etag, expectedSize);
    }

    @Override
    public void write(ByteBuffer data) {
        partial.write(data);
    }

    @Override
    public void restart() {
        partial.restart();
    }

    @Override
    public FinishedFile finish(String expectedSha256, long expectedSize) {
        finished = partial.finish(expectedSha256, expectedSize);
        return new FinishedFile(finished.sha256(), finished.size());
    }

    @Override
    public void discard() {
        partial.discard();
    }

    BlobInfo blob() {
        return finished;
    }
}
