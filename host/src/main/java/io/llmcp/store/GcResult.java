package io.llmcp.store;

/**
 * What {@link BlobStore#gc} removed.
 *
 * @param orphanChunks  chunks no blob or partial referenced (left by a kill mid-ingest or mid-delete, or freed by
 *                      the blobs removed here)
 * @param refsRepaired  chunk reference counts that were higher than the real number of users and were corrected
 */
public record GcResult(long orphanChunks, long bytesFreed, long blobsRemoved, long partialsRemoved,
                       long refsRepaired, long millis) {
}
