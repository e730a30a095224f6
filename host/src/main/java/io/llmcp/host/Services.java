package io.llmcp.host;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle half of the composition root: each service is a memoized supplier that starts it on first
 * use (so {@code host.info} never opens the store) and records it, so {@link #close} ends services in the
 * reverse order they started — inference before the store it reads from, the store last.
 */
final class Services implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Services.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private boolean closed;

    /** A service started by {@code factory} on the first {@code get()}, then the same instance. */
    <T> Lazy<T> lazy(Supplier<T> factory) {
        return new Lazy<>(factory);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /** One service: created at most once, under the root's lock so two first requests cannot race. */
    final class Lazy<T> implements Supplier<T> {
        private final Supplier<T> factory;
        private volatile T value;

        private Lazy(Supplier<T> factory) {
            this.factory = factory;
        }

        @Override
        public T get() {
            T v = value;
            if (v != null) return v;
            synchronized (Services.this) {
                if (value != null) return value;
                if (closed) throw new IllegalStateException("host is shutting down");
                T created = factory.get();
                if (created instanceof AutoCloseable c) started.push(c);
                value = created;
                return created;
            }
        }

        /** The instance if it was started, else null (never starts it). */
        T ifStarted() {
            return value;
        }
    }
}
