package io.llmcp.fetch;

/**
 * What the server says about a file before we fetch it: used to link a file the store already holds (zero
 * bytes downloaded) and by {@code models.checkUpdate}.
 *
 * @param size bytes, or -1 when the server did not say
 * @param sha256 lower-case hex from {@code X-Linked-Etag} or an ETag that is a SHA-256, else null
 * @param etag the validator to compare later ({@code X-Linked-Etag} when present, else the ETag), or null
 * @param revision {@code X-Repo-Commit} (the repo's git commit), or null
 * @param finalUrl where the bytes live after redirects (for logs; downloads always re-request the original URL)
 */
public record RemoteFile(long size, String sha256, String etag, String revision, String finalUrl) {

    /** {@code "abc…"} or {@code W/"abc…"} → the SHA-256 inside, if the tag is one. */
    static String sha256FromEtag(String etag) {
        if (etag == null) return null;
        String t = etag.trim();
        if (t.startsWith("W/")) t = t.substring(2);
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) t = t.substring(1, t.length() - 1);
        return HexFormatter.isSha256(t) ? t.toLowerCase(java.util.Locale.ROOT) : null;
    }
}
