package io.llmcp.app;

import io.llmcp.protocol.MethodRegistry;

/** Wires every package's methods into one registry; the one place that lists what the host offers. */
public final class Methods {
    private Methods() {
    }

    public static MethodRegistry create(HostContext ctx) {
        MethodRegistry registry = new MethodRegistry();
        HostInfoMethod.register(registry, ctx);
        DiagnosticMethods.register(registry);
        io.llmcp.store.DataMethods.register(registry, ctx);
        io.llmcp.models.ModelStoreMethods.register(registry, ctx);
        io.llmcp.models.PullMethods.register(registry, ctx);
        JobsMethods.register(registry, ctx);
        io.llmcp.inference.SessionMethods.register(registry, ctx);
        io.llmcp.inference.InferenceMethods.register(registry, ctx);
        io.llmcp.sites.SiteMethods.register(registry, ctx);
        return registry;
    }
}
