package io.llmcp.store;

/**
 * Sizes of the store itself (the model registry adds per-model numbers on top).
 *
 * @param blobBytes    sum of the sizes of the distinct committed blobs
 * @param storedBytes  sum of the sizes of the distinct chunks: what the data takes before MVStore's own overhead
 * @param fileBytes    the MVStore file on disk
 * @param partialBytes bytes held by unfinished ingests (resumable downloads)
 */
public record StoreStats(long blobBytes, long storedBytes, long fileBytes, long chunkCount, long blobCount,
                         long partialCount, long partialBytes) {
}
