package io.llmcp.inference;

import java.util.List;

/**
 * Cuts generated text at the first stop string, which may span several tokens. Text that could still turn
 * into a stop string is held back from the stream, so the client never sees a stop string or a piece of one.
 */
final class StopStrings {
    private final List<String> stops;
    private final StringBuilder text = new StringBuilder();
    private int emitted;
    private boolean stopped;

    StopStrings(List<String> stops) {
        this.stops = stops;
    }

    /** Appends decoded text and returns what may be streamed now. */
    String accept(String delta) {
        if (stopped) return "";
        text.append(delta);
        int cut = -1;
        for (String s : stops) {
            int at = text.indexOf(s, emitted);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        if (cut >= 0) {
            stopped = true;
            text.setLength(cut);
            return take(cut);
        }
        return take(text.length() - heldBack());
    }

    /** Releases the held-back tail when generation ends for another reason. */
    String flush() {
        return stopped ? "" : take(text.length());
    }

    boolean stopped() {
        return stopped;
    }

    String emittedText() {
        return text.substring(0, emitted);
    }

    String text() {
        return text.toString();
    }

    /** Length of the longest suffix of the unemitted text that begins some stop string. */
    private int heldBack() {
        int longest = 0;
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, text.length() - emitted); k > longest; k--) {
                if (endsWithPrefix(s, k)) {
                    longest = k;
                    break;
                }
            }
        }
        return longest;
    }

    private boolean endsWithPrefix(String stop, int k) {
        int start = text.length() - k;
        for (int i = 0; i < k; i++) if (text.charAt(start + i) != stop.charAt(i)) return false;
        return true;
    }

    private String take(int end) {
        String out = text.substring(emitted, end);
        emitted = end;
        return out;
    }
}
