package io.llmcp.store;

/**
 * A committed blob: its whole-file SHA-256 (lower-case hex, the blob's name), size and provenance.
 *
 * @param fetchedAt epoch millis when the blob was committed
 * @param etag      the server's ETag / revision when it came from a download, else null
 */
public record BlobInfo(String sha256, long size, int chunkCount, String sourceUrl, String etag, long fetchedAt) {
}
