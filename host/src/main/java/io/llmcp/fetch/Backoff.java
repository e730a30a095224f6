package io.llmcp.fetch;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/** Exponential backoff with jitter, capped at 30 s, that wakes early when the work was cancelled. */
final class Backoff {
    private Backoff() {
    }

    static void sleep(Duration base, int attempt, BooleanSupplier cancelled) throws InterruptedIOException {
        long max = Math.min(30_000, base.toMillis() << Math.min(attempt, 16));
        long millis = max / 2 + ThreadLocalRandom.current().nextLong(max / 2 + 1);
        long end = System.nanoTime() + millis * 1_000_000;
        try {
            while (!cancelled.getAsBoolean()) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) return;
                Thread.sleep(Math.min(left, 50));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during backoff");
        }
    }
}
