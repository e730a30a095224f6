package io.llmcp.protocol;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Cooperative cancellation. Work checks {@link #throwIfCancelled()} at safe points and may register
 * callbacks (e.g. to cancel an HTTP call). We never interrupt worker threads: an interrupt during
 * FileChannel I/O closes the channel, which would take the whole MVStore down with it.
 */
public final class CancellationToken {
    private volatile boolean cancelled;
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

    public static CancellationToken none() {
        return new CancellationToken();
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public void throwIfCancelled() {
        if (cancelled) throw RpcException.cancelled();
    }

    /** Runs {@code callback} on cancel, or at once when already cancelled. */
    public void onCancel(Runnable callback) {
        callbacks.add(callback);
        if (cancelled && callbacks.remove(callback)) callback.run();
    }

    public void cancel() {
        if (cancelled) return;
        cancelled = true;
        for (Runnable r : callbacks) {
            if (callbacks.remove(r)) {
                try {
                    r.run();
                } catch (RuntimeException ignored) {
                    // a failing callback must not stop the others
                }
            }
        }
    }
}
