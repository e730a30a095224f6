package io.llmcp.protocol;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** The table of method name → handler that every transport dispatches through. */
public final class MethodRegistry {
    private final Map<String, RpcHandler> handlers = new ConcurrentHashMap<>();

    public MethodRegistry register(String method, RpcHandler handler) {
        if (handlers.putIfAbsent(method, handler) != null) {
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
