package io.llmcp.models;

/**
 * One file of a model, as stored: the blob holding it and where it came from.
 *
 * @param sha256    whole-file SHA-256, the blob's name in the store
 * @param etag      the server's ETag / revision when fetched (for update checks), may be null
 * @param fetchedAt epoch millis
 */
public record ModelFile(String sha256, long size, String url, String etag, long fetchedAt) {
}
