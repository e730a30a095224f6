package io.llmcp.app;

import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;

/** {@code jobs.attach}, {@code jobs.cancel}, {@code jobs.list}: reach long-running work from any client. */
public final class JobsMethods {
    private JobsMethods() {
    }

    public static void register(MethodRegistry registry, HostContext ctx) {
        registry.register("jobs.attach", call -> Jobs.of(ctx).attach(call, call.params().requireString("key")));
        registry.register("jobs.cancel", call -> {
            String key = call.params().requireString("key");
            return Json.object().put("key", key).put("cancelled", Jobs.of(ctx).cancel(key));
        });
        registry.register("jobs.list", call -> {
            var out = Json.object();
            var list = out.putArray("jobs");
            for (Job j : Jobs.of(ctx).all()) list.add(j.describe());
            return out;
        });
    }
}
