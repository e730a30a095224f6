package io.llmcp.fetch;

import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;

/**
 * A file name inside a model repo, e.g. {@code onnx/model.onnx}. The name comes from the extension (or a web
 * page that talked to it), ends up in a URL and as a key in the store, so anything that could climb out of
 * the repo or be read differently by another tool is refused rather than "cleaned up".
 */
public final class RepoPath {
    /** Longer names are no real repo file; refusing them keeps store keys and URLs bounded. */
    static final int MAX_LENGTH = 1024;

    private RepoPath() {
    }

    /** Returns {@code path} unchanged when it is a safe relative path, else throws URL_REFUSED. */
    public static String check(String field, String path) {
        if (path == null || path.isEmpty()) throw refused(field, path, "is empty");
        if (path.length() > MAX_LENGTH) throw refused(field, path, "is longer than " + MAX_LENGTH + " characters");
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) throw refused(field, path, "contains a control character");
            if (c == '\\') throw refused(field, path, "contains a backslash");
        }
        if (path.startsWith("/")) throw refused(field, path, "is an absolute path");
        if (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
            throw refused(field, path, "starts with a drive letter");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) throw refused(field, path, "has an empty segment");
            if (segment.equals("..") || segment.equals(".")) throw refused(field, path, "has a '" + segment + "' segment");
            if (segment.contains(":")) throw refused(field, path, "contains ':'");
        }
        return path;
    }

    private static FetchException refused(String field, String path, String problem) {
        String shown = path == null ? "null" : printable(path);
        return new FetchException(Failure.URL_REFUSED, "file name '" + shown + "' (" + field + ") " + problem
                + ": file names must be relative paths inside the repo",
                Details.of("field", field, "path", path));
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        int n = Math.min(s.length(), 200);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        if (s.length() > n) b.append('…');
        return b.toString();
    }
}
