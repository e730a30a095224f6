package io.llmcp.fetch;

/**
 * A verified download.
 *
 * @param bytesDownloaded bytes received in this call (less than size after a resume)
 * @param etag the validator the bytes were served with, or null
 */
public record DownloadResult(String path, String sha256, long size, long bytesDownloaded, String etag, String finalUrl) {
}
