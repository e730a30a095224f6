package io.llmcp.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.inference.RuntimeProbe;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;

/** {@code host.info}: what is running, where, and what it can do. */
public final class HostInfoMethod {
    private HostInfoMethod() {
    }

    public static void register(MethodRegistry registry, HostContext ctx) {
        registry.register("host.info", call -> info(ctx, registry));
    }

    public static ObjectNode info(HostContext ctx, MethodRegistry registry) {
        ObjectNode out = Json.object();
        out.put("name", "llmcp");
        out.put("version", Version.PRODUCT);
        out.put("protocolVersion", Version.PROTOCOL);
        out.putObject("java")
                .put("version", System.getProperty("java.version"))
                .put("vendor", System.getProperty("java.vendor"));
        out.set("onnxruntime", RuntimeProbe.describe(ctx));
        out.put("dataDir", ctx.dataDir().toString());
        out.put("pid", ProcessHandle.current().pid());
        out.set("methods", Json.MAPPER.valueToTree(registry.methods()));
        return out;
    }
}
