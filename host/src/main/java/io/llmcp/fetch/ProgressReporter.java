package io.llmcp.fetch;

import io.llmcp.failure.DomainException;


/**
 * Turns a stream of "bytes done" updates for one file into {@link ProgressEvent}s: every state change goes
 * out, byte updates at most every {@link #MIN_INTERVAL_NANOS} (a browser extension redraws on each one, and a
 * gigabit link would otherwise send thousands a second). Speed is a moving average over about two seconds.
 * Thread-safe: parallel parts report through one reporter.
 */
public final class ProgressReporter {
    static final long MIN_INTERVAL_NANOS = 100_000_000L;
    private static final double SPEED_WINDOW_NANOS = 2e9;

    private final String path;
    private final ProgressListener listener;
    private final LongClock clock;
    private DownloadState state;
    private long bytesDone;
    private long bytesTotal = -1;
    private long lastSent = Long.MIN_VALUE;
    private long speedSampleAt;
    private long speedSampleBytes;
    private double bytesPerSecond;

    public ProgressReporter(String path, ProgressListener listener) {
        this(path, listener, System::nanoTime);
    }

    ProgressReporter(String path, ProgressListener listener, LongClock clock) {
        this.path = path;
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.clock = clock;
    }

    public synchronized void state(DownloadState next) {
        if (next == state) return;
        state = next;
        if (next == DownloadState.DOWNLOADING) {
            speedSampleAt = clock.nanos();
            speedSampleBytes = bytesDone;
        }
        send(null);
    }

    public synchronized void total(long total) {
        bytesTotal = total;
    }

    /** The file now holds {@code done} bytes (also after a restart, when it drops). */
    public synchronized void bytes(long done) {
        long now = clock.nanos();
        if (done < speedSampleBytes) {
            speedSampleBytes = done;
            speedSampleAt = now;
        }
        bytesDone = done;
        long dt = now - speedSampleAt;
        if (dt >= MIN_INTERVAL_NANOS) {
            double instant = (done - speedSampleBytes) * 1e9 / dt;
            double weight = Math.min(1.0, dt / SPEED_WINDOW_NANOS);
            bytesPerSecond = bytesPerSecond == 0 ? instant : bytesPerSecond + weight * (instant - bytesPerSecond);
            speedSampleAt = now;
            speedSampleBytes = done;
        }
        if (state != null && (lastSent == Long.MIN_VALUE || now - lastSent >= MIN_INTERVAL_NANOS)) send(null);
    }

    public synchronized void failed(DomainException error) {
        state = DownloadState.FAILED;
        send(error);
    }

    public synchronized long bytesDone() {
        return bytesDone;
    }

    private void send(DomainException error) {
        lastSent = clock.nanos();
        long speed = Math.round(bytesPerSecond);
        long eta = bytesTotal < 0 || speed <= 0 ? -1 : Math.max(0, (bytesTotal - bytesDone + speed - 1) / speed);
        if (state == DownloadState.DONE || state == DownloadState.LINKED) eta = 0;
        try {
            listener.onProgress(new ProgressEvent(path, state, bytesDone, bytesTotal, speed, eta, error));
        } catch (RuntimeException ignored) {
            // a broken listener (e.g. a closed client) must not break the download
        }
    }

    /** Nanosecond clock, replaceable in tests. */
    @FunctionalInterface
    interface LongClock {
        long nanos();
    }
}
