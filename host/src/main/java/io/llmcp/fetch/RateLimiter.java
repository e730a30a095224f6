package io.llmcp.fetch;

import java.io.InterruptedIOException;

/**
 * A token bucket in bytes, shared by every download of the process, so the limit is what the user's link
 * sees, however many files or parts are in flight. Holds at most a quarter second of burst.
 */
public final class RateLimiter {
    private final long bytesPerSecond;
    private final double burst;
    private double available;
    private long lastRefill;

    public RateLimiter(long bytesPerSecond) {
        if (bytesPerSecond <= 0) throw new IllegalArgumentException("bytesPerSecond must be positive");
        this.bytesPerSecond = bytesPerSecond;
        this.burst = Math.max(16 * 1024, bytesPerSecond / 4.0);
        this.available = 0;
        this.lastRefill = System.nanoTime();
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** The largest read worth asking for at once: about 1/20 s of budget, so pacing stays smooth. */
    int sliceBytes() {
        return (int) Math.max(1024, Math.min(256 * 1024, bytesPerSecond / 20));
    }

    /** Takes {@code bytes} from the bucket (already read), sleeping until the budget covers them. */
    void consume(long bytes) throws InterruptedIOException {
        long waitNanos;
        synchronized (this) {
            refill();
            available -= bytes;
            waitNanos = available >= 0 ? 0 : (long) (-available * 1e9 / bytesPerSecond);
        }
        if (waitNanos <= 0) return;
        try {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while rate limited");
        }
    }

    private void refill() {
        long now = System.nanoTime();
        available = Math.min(burst, available + (now - lastRefill) * bytesPerSecond / 1e9);
        lastRefill = now;
    }
}
