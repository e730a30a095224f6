package io.llmcp.app;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one host process owns: its data dir, its config and the long-lived services (store, downloads,
 * inference sessions). Services start on first use, so {@code host.info} never opens the store, and close
 * in reverse order of creation when the process ends.
 */
public final class HostContext implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HostContext.class);

    private final Path dataDir;
    private final HostConfig config;
    private final Map<Class<?>, Object> services = new LinkedHashMap<>();
    private final Deque<AutoCloseable> closeOrder = new ArrayDeque<>();
    private boolean closed;

    public HostContext(Path dataDir, HostConfig config) {
        this.dataDir = dataDir;
        this.config = config;
    }

    public static HostContext open(Path dataDir) {
        return new HostContext(dataDir, HostConfig.load(dataDir));
    }

    public Path dataDir() {
        return dataDir;
    }

    public HostConfig config() {
        return config;
    }

    /** The one instance of {@code type} in this process, created by {@code factory} on first use. */
    public synchronized <T> T service(Class<T> type, Function<HostContext, T> factory) {
        if (closed) throw new IllegalStateException("host is shutting down");
        Object existing = services.get(type);
        if (existing != null) return type.cast(existing);
        T created = factory.apply(this);
        services.put(type, created);
        if (created instanceof AutoCloseable c) closeOrder.push(c);
        return created;
    }

    /** The instance of {@code type} if it was started, else null (never starts it). */
    public synchronized <T> T existing(Class<T> type) {
        return type.cast(services.get(type));
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        while (!closeOrder.isEmpty()) {
            AutoCloseable c = closeOrder.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
        services.clear();
    }
}
