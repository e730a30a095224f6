package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders {@code models.progress} notifications as one line per file. On a terminal the current file's
 * line is redrawn in place (carriage return); otherwise only state changes are printed, so logs stay short.
 */
final class ProgressLines {
    private final PrintWriter out;
    private final boolean terminal;
    private final Map<String, String> lastState = new LinkedHashMap<>();
    private boolean lineOpen;

    ProgressLines(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    synchronized void onNotification(JsonNode p) {
        if (!p.has("path") || !terminal) return;
        String path = p.path("path").asText();
        String state = p.path("state").asText();
        long done = p.path("bytesDone").asLong();
        long total = p.path("bytesTotal").asLong(-1);
        String line;
        if (state.equals("downloading") && total > 0) {
            int width = 24;
            int filled = (int) Math.min(width, width * done / Math.max(1, total));
            line = String.format("%-32.32s [%s%s] %5.1f%% %9s/s eta %s", path, "#".repeat(filled), " ".repeat(width - filled),
                    100.0 * done / total, Sizes.bytes(p.path("bytesPerSecond").asLong()), eta(p.path("etaSeconds").asLong(-1)));
        } else {
            line = String.format("%-32.32s %s %s", path, state, total > 0 ? Sizes.bytes(total) : "");
        }
        boolean changed = !state.equals(lastState.put(path, state));
        if (lineOpen && changed && !state.equals("downloading")) {
            out.print("\r" + line + "\n");
            lineOpen = false;
        } else {
            out.print("\r" + line);
            lineOpen = true;
        }
        out.flush();
    }

    synchronized void finish() {
        if (lineOpen) out.println();
        lineOpen = false;
    }

    private static String eta(long s) {
        if (s < 0) return "--";
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
