package io.llmcp.inference;

import io.llmcp.failure.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loaded models, kept for a keep-alive period after their last request (like Ollama's {@code keep_alive}:
 * default 5 minutes, set per request; 0 = unload when the request ends; negative = keep forever) and
 * evicted least-recently-used when a new model would exceed the memory budget. A model in use (an open
 * {@link Lease}) is never unloaded under a request: eviction skips it, and an explicit unload waits for
 * its last lease. Concurrent requests for the same model share one load.
 */
public final class SessionCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionCache.class);
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofMinutes(5);

    /** Something loaded that the cache can account for and close (an embedder, a generator's session…). */
    public interface Loaded extends AutoCloseable {
        String provider();

        long bytes();

        @Override
        void close();
    }

    /** A snapshot for {@code sessions.list}. */
    public record Info(String modelId, String provider, long bytes, long loadedAt, long lastUsed,
                       long keepAliveSeconds, int leases, Long expiresAt) {
        public boolean inUse() {
            return leases > 0;
        }
    }

    private final class Entry {
        final String modelId;
        final CompletableFuture<Loaded> future = new CompletableFuture<>();
        Loaded value;
        int leases;
        long keepAliveNanos;
        long idleSinceNanos;
        long loadedAt;
        long lastUsed;
        boolean unloadWhenIdle;

        Entry(String modelId, long keepAliveNanos) {
            this.modelId = modelId;
            this.keepAliveNanos = keepAliveNanos;
        }

        boolean expired(long now) {
            if (leases > 0 || value == null) return false;
            if (unloadWhenIdle || keepAliveNanos == 0) return true;
            return keepAliveNanos > 0 && now - idleSinceNanos >= keepAliveNanos;
        }
    }

    /** One request's hold on a loaded model; close it when the request ends. */
    public final class Lease<T extends Loaded> implements AutoCloseable {
        private final Entry entry;
        private final T value;
        private boolean released;

        private Lease(Entry entry, T value) {
            this.entry = entry;
            this.value = value;
        }

        public T get() {
            return value;
        }

        @Override
        public void close() {
            synchronized (SessionCache.this) {
                if (released) return;
                released = true;
                release(entry);
            }
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final long budgetBytes;
    private final Duration defaultKeepAlive;
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService reaper;
    private boolean closed;

    /** A cache with a background reaper that unloads expired models every {@code reapEvery}. */
    public SessionCache(long budgetBytes, Duration defaultKeepAlive, Duration reapEvery) {
        this(budgetBytes, defaultKeepAlive, System::nanoTime, reapEvery);
    }

    /** {@code reapEvery} null: no reaper thread (tests call {@link #reap()} with their own clock). */
    public SessionCache(long budgetBytes, Duration defaultKeepAlive, LongSupplier nanoClock, Duration reapEvery) {
        this.budgetBytes = budgetBytes <= 0 ? Long.MAX_VALUE : budgetBytes;
        this.defaultKeepAlive = defaultKeepAlive;
        this.nanoClock = nanoClock;
        if (reapEvery == null) {
            this.reaper = null;
        } else {
            this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "llmcp-session-reaper");
                t.setDaemon(true);
                return t;
            });
            long ms = Math.max(10, reapEvery.toMillis());
            reaper.scheduleWithFixedDelay(this::reapQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Leases {@code modelId}, loading it with {@code loader} if needed. {@code expectedBytes} is charged
     * against the budget before loading, so idle models make room first. {@code keepAlive} (null = default)
     * becomes the model's keep-alive from now on, as in Ollama.
     */
    public <T extends Loaded> Lease<T> acquire(String modelId, Class<T> type, long expectedBytes, Duration keepAlive,
                                               Supplier<T> loader) {
        long keepNanos = toNanos(keepAlive == null ? defaultKeepAlive : keepAlive);
        Entry entry;
        boolean mustLoad = false;
        synchronized (this) {
            if (closed) throw new InferenceException(Failure.BUSY, "the host is shutting down");
            entry = entries.get(modelId);
            if (entry == null || entry.unloadWhenIdle && entry.leases == 0 && entry.value != null) {
                if (entry != null) unload(entry);
                entry = new Entry(modelId, keepNanos);
                entries.put(modelId, entry);
                mustLoad = true;
                evictFor(expectedBytes, entry);
            }
            entry.keepAliveNanos = keepNanos;
            entry.unloadWhenIdle = false;
            entry.leases++;
        }
        if (mustLoad) load(entry, loader);
        Loaded value;
        try {
            value = entry.future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (this) {
                release(entry);
            }
            throw new InferenceException(Failure.CANCELLED, "cancelled while loading " + modelId);
        } catch (ExecutionException e) {
            synchronized (this) {
                entry.leases--;
            }
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        }
        if (!type.isInstance(value)) {
            synchronized (this) {
                release(entry);
            }
            throw new InferenceException(Failure.MODEL_INVALID, "model " + modelId + " is loaded as "
                    + value.getClass().getSimpleName() + ", not usable as " + type.getSimpleName());
        }
        synchronized (this) {
            entry.lastUsed = System.currentTimeMillis();
        }
        return new Lease<>(entry, type.cast(value));
    }

    private void load(Entry entry, Supplier<? extends Loaded> loader) {
        try {
            Loaded v = loader.get();
            synchronized (this) {
                entry.value = v;
                entry.loadedAt = System.currentTimeMillis();
                entry.lastUsed = entry.loadedAt;
            }
            entry.future.complete(v);
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                entries.remove(entry.modelId, entry);
            }
            entry.future.completeExceptionally(e);
        }
    }

    /** Unloads idle models, least recently used first, until {@code incoming} more bytes fit the budget. */
    private void evictFor(long incoming, Entry except) {
        long used = usedBytes();
        if (used + incoming <= budgetBytes) return;
        List<Entry> idle = new ArrayList<>();
        for (Entry e : entries.values()) if (e != except && e.leases == 0 && e.value != null) idle.add(e);
        idle.sort(Comparator.comparingLong(e -> e.idleSinceNanos));
        for (Entry e : idle) {
            if (used + incoming <= budgetBytes) break;
            used -= e.value.bytes();
            log.info("unloading {} to make room within the memory budget of {} bytes", e.modelId, budgetBytes);
            unload(e);
        }
        if (used + incoming > budgetBytes) {
            // Models in use are never evicted; loading anyway beats failing a request the machine may handle.
            log.warn("loading {} ({} bytes) exceeds the memory budget of {} bytes: {} bytes are held by models in use",
                    except.modelId, incoming, budgetBytes, used);
        }
    }

    private long usedBytes() {
        long sum = 0;
        for (Entry e : entries.values()) if (e.value != null) sum += e.value.bytes();
        return sum;
    }

    private void release(Entry entry) {
        entry.leases--;
        entry.lastUsed = System.currentTimeMillis();
        entry.idleSinceNanos = nanoClock.getAsLong();
        if (entry.leases == 0 && (closed || entry.expired(entry.idleSinceNanos))) unload(entry);
    }

    private void unload(Entry entry) {
        entries.remove(entry.modelId, entry);
        if (entry.value != null) {
            log.info("unloading {}", entry.modelId);
            entry.value.close();
            entry.value = null;
        }
    }

    /** Unloads every model whose keep-alive has run out; returns how many. */
    public synchronized int reap() {
        long now = nanoClock.getAsLong();
        int n = 0;
        for (Entry e : new ArrayList<>(entries.values())) {
            if (e.expired(now)) {
                unload(e);
                n++;
            }
        }
        return n;
    }

    private void reapQuietly() {
        try {
            reap();
        } catch (RuntimeException e) {
            log.warn("session reaper failed: {}", e.toString());
        }
    }

    /**
     * {@code sessions.unload}: unloads now when idle (true); when requests still use it, marks it to unload
     * as soon as the last one ends (false). Unknown model: false.
     */
    public synchronized boolean unload(String modelId) {
        Entry e = entries.get(modelId);
        if (e == null || e.value == null) return false;
        if (e.leases > 0) {
            e.unloadWhenIdle = true;
            return false;
        }
        unload(e);
        return true;
    }

    public synchronized boolean isLoaded(String modelId) {
        Entry e = entries.get(modelId);
        return e != null && e.value != null;
    }

    /** True while a request holds the model (or it is loading): the store must not evict its files. */
    public synchronized boolean inUse(String modelId) {
        Entry e = entries.get(modelId);
        return e != null && (e.leases > 0 || e.value == null);
    }

    public synchronized List<Info> list() {
        long now = nanoClock.getAsLong();
        long wallNow = System.currentTimeMillis();
        List<Info> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.value == null) continue;
            Long expiresAt = null;
            if (e.leases == 0 && e.keepAliveNanos >= 0) {
                expiresAt = wallNow + Math.max(0, (e.keepAliveNanos - (now - e.idleSinceNanos)) / 1_000_000);
            }
            long keepSeconds = e.keepAliveNanos < 0 ? -1 : TimeUnit.NANOSECONDS.toSeconds(e.keepAliveNanos);
            out.add(new Info(e.modelId, e.value.provider(), e.value.bytes(), e.loadedAt, e.lastUsed, keepSeconds,
                    e.leases, expiresAt));
        }
        return out;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    private static long toNanos(Duration d) {
        return d.isNegative() ? -1 : d.toNanos();
    }

    @Override
    public void close() {
        if (reaper != null) reaper.shutdownNow();
        synchronized (this) {
            closed = true;
            for (Entry e : new ArrayList<>(entries.values())) if (e.leases == 0) unload(e);
        }
    }
}
