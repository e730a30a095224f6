package io.llmcp.fetch;

/**
 * A parsed {@code Content-Range: bytes first-last/total} (total -1 when the server wrote {@code *}); for a 416
 * answer {@code bytes * /total} gives first = last = -1.
 */
record ContentRange(long first, long last, long total) {
    static ContentRange parse(String header) {
        if (header == null) return null;
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes ", 0, 6)) return null;
        h = h.substring(6).trim();
        int slash = h.indexOf('/');
        if (slash < 0) return null;
        try {
            String totalText = h.substring(slash + 1).trim();
            long total = totalText.equals("*") ? -1 : Long.parseLong(totalText);
            String range = h.substring(0, slash).trim();
            if (range.equals("*")) return new ContentRange(-1, -1, total);
            int dash = range.indexOf('-');
            if (dash < 0) return null;
            long first = Long.parseLong(range.substring(0, dash).trim());
            long last = Long.parseLong(range.substring(dash + 1).trim());
            if (first < 0 || last < first || (total >= 0 && last >= total)) return null;
            return new ContentRange(first, last, total);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
