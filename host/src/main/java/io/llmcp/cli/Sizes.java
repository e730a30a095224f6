package io.llmcp.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Human-readable sizes and times for the store commands' tables. */
public final class Sizes {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private Sizes() {
    }

    /**
     * Decimal units (kB = 1000 bytes, MB = 10^6, GB = 10^9), as model repositories list their sizes, with the same
     * digits as the extension's {@code ui/format.js}: the CLI and the panel print the same figure for the same file.
     */
    public static String bytes(long b) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double v = Math.abs((double) b);
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        int digits = u == 0 ? 0 : v < 10 ? 2 : v < 100 ? 1 : 0;
        return (b < 0 ? "-" : "") + String.format(java.util.Locale.ROOT, "%." + digits + "f %s", v, units[u]);
    }

    static String time(long epochMillis) {
        return epochMillis <= 0 ? "never" : WHEN.format(Instant.ofEpochMilli(epochMillis));
    }

    /**
     * "5GB", "500MB", "300kB" (decimal, as printed), "1GiB", "512MiB" (binary), the short "1g", "512m", "300k"
     * (binary, as in {@code -Xmx}), or plain bytes.
     */
    public static long parse(String s) {
        String lower = s.trim().toLowerCase(java.util.Locale.ROOT);
        boolean decimal = lower.endsWith("b") && !lower.endsWith("ib") && lower.length() > 1
                && Character.isLetter(lower.charAt(lower.length() - 2));
        String t = lower.replace("ib", "").replace("b", "");
        long mult = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (last) {
            case 'k' -> mult = decimal ? 1_000L : 1L << 10;
            case 'm' -> mult = decimal ? 1_000_000L : 1L << 20;
            case 'g' -> mult = decimal ? 1_000_000_000L : 1L << 30;
            case 't' -> mult = decimal ? 1_000_000_000_000L : 1L << 40;
            default -> { }
        }
        if (mult > 1) t = t.substring(0, t.length() - 1);
        try {
            return Math.round(Double.parseDouble(t) * mult);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: '" + s + "' (examples: 5GB, 500MB, 1GiB, 1048576)");
        }
    }
}
