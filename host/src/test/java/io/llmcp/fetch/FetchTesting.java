package io.llmcp.fetch;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared bits of the fetch tests. */
final class FetchTesting {
    private FetchTesting() {
    }

    /** Fast retries and short timeouts so fault tests take milliseconds, not the production backoff. */
    static FetchSettings settings() {
        return FetchSettings.defaults().withRetries(4, Duration.ofMillis(1)).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records every progress event. */
    static final class Events implements ProgressListener {
        final List<ProgressEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onProgress(ProgressEvent e) {
            events.add(e);
        }

        List<DownloadState> states() {
            List<DownloadState> out = new java.util.ArrayList<>();
            for (ProgressEvent e : events) if (out.isEmpty() || out.get(out.size() - 1) != e.state()) out.add(e.state());
            return out;
        }

        long count(DownloadState s) {
            return events.stream().filter(e -> e.state() == s).count();
        }
    }
}
