package io.llmcp.install;

/**
 * One thing the installer, uninstaller or a dry run did (or would do) to one file, registry key or setting.
 *
 * @param kind   {@code jar}, {@code launcher}, {@code manifest}, {@code registry}, {@code config}, {@code record} or
 *               {@code directory}
 * @param target the absolute path, or the exact {@code reg} command line for registry steps
 * @param status {@code created}, {@code updated}, {@code unchanged}, {@code removed}, {@code absent}, {@code kept},
 *               or with {@code --dry-run} {@code would create}, {@code would update}, {@code would remove}
 * @param detail what it is for (a browser name, where a jar came from), may be empty
 */
public record Step(String kind, String target, String status, String detail) {
    public boolean changed() {
        return !status.equals("unchanged") && !status.equals("absent") && !status.equals("kept");
    }

    /** One aligned line for people. */
    public String line() {
        return String.format("%-12s %-9s %s%s", status, kind, target, detail.isEmpty() ? "" : "  (" + detail + ")");
    }
}
