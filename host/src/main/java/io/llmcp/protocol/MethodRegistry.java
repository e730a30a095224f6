package io.llmcp.protocol;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The table of method name → handler that every transport dispatches through. A registry built with an
 * interceptor chain wraps each handler in it once, at registration, so dispatch stays a map lookup.
 */
public final class MethodRegistry {
    private final Map<String, RpcHandler> handlers = new ConcurrentHashMap<>();
    private final List<RpcInterceptor> chain;

    public MethodRegistry() {
        this(List.of());
    }

    public MethodRegistry(List<RpcInterceptor> chain) {
        this.chain = List.copyOf(chain);
    }

    public MethodRegistry register(String method, RpcHandler handler) {
        if (handlers.putIfAbsent(method, RpcInterceptor.wrap(handler, chain)) != null) {
            throw new IllegalStateException("method registered twice: " + method);
        }
        return this;
    }

    public Optional<RpcHandler> find(String method) {
        return Optional.ofNullable(handlers.get(method));
    }

    public Set<String> methods() {
        return new TreeSet<>(handlers.keySet());
    }
}
