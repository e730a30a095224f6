package io.llmcp.fetch;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a download's bytes go: written strictly in order, resumable from what it already holds. The store's
 * resumable {@code PartialBlob} backs it in the host; {@link FileDownloadTarget} backs it in tests and the bench.
 *
 * <p>The downloader never seeks: it asks {@link #committedBytes()} where to continue, sends {@code Range} from
 * there and appends. Implementations may buffer and commit internally, but {@link #committedBytes()} must count
 * every byte accepted by {@link #write} in this process (the next write continues there); after a crash it is
 * the durable prefix.
 */
public interface DownloadTarget {
    /** Bytes held so far; the next {@link #write} appends at this offset. */
    long committedBytes();

    /** The validator recorded with the held bytes by {@link #setSource}, or null. */
    String etag();

    /** Records where the bytes come from, so a later resume can send {@code If-Range} (sizes: -1 = unknown). */
    void setSource(String url, String etag, long expectedSize) throws IOException;

    /** Appends all remaining bytes of {@code data}. */
    void write(ByteBuffer data) throws IOException;

    /** Makes everything written so far durable, so a cancelled or failed download resumes from here. */
    default void checkpoint() throws IOException {
    }

    /** Drops all held bytes: the server sent a different file (or ignored our range) and we start over. */
    void restart() throws IOException;

    /**
     * Seals the file: checks the size and, when given, the SHA-256; on a mismatch the held bytes are dropped
     * and FetchException VERIFY_FAILED is thrown.
     *
     * @param expectedSha256 lower-case hex, or null when the server did not announce one
     * @param expectedSize the size the server announced, or -1
     */
    FinishedFile finish(String expectedSha256, long expectedSize) throws IOException;

    /** Drops the held bytes for good. */
    void discard() throws IOException;

    /** A sealed, verified file. */
    record FinishedFile(String sha256, long size) {
    }
}
