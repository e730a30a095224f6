package io.llmcp.store;

/** What {@link BlobStore#compact} gave back to the file system. */
public record CompactResult(long fileBytesBefore, long fileBytesAfter, long millis) {
    public long bytesReclaimed() {
        return Math.max(0, fileBytesBefore - fileBytesAfter);
    }
}
