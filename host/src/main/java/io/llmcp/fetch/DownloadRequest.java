package io.llmcp.fetch;

/**
 * One file to fetch.
 *
 * @param path the repo path, for progress and messages
 * @param url the original URL (re-requested on every resume: redirect targets may be signed and expire)
 * @param expectedSha256 lower-case hex when known (e.g. from {@link RemoteFile#sha256()}), else null
 * @param expectedSize bytes when known, else -1
 */
public record DownloadRequest(String path, String url, String expectedSha256, long expectedSize) {
    public static DownloadRequest of(String path, String url) {
        return new DownloadRequest(path, url, null, -1);
    }

    public static DownloadRequest of(String path, String url, RemoteFile remote) {
        return new DownloadRequest(path, url, remote.sha256(), remote.size());
    }
}
