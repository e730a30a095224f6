package io.llmcp.methods;

import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import java.util.function.Supplier;

/** The {@code jobs.*} namespace: {@code jobs.attach}, {@code jobs.cancel}, {@code jobs.list}: reach long-running work from any client. */
public final class JobsMethods {
    private JobsMethods() {
    }

    public static void register(MethodRegistry registry, Supplier<Jobs> jobs) {
        registry.register("jobs.attach", call -> jobs.get().attach(call, call.params().requireString("key")));
        registry.register("jobs.cancel", call -> {
            String key = call.params().requireString("key");
            return Json.object().put("key", key).put("cancelled", jobs.get().cancel(key));
        });
        registry.register("jobs.list", call -> {
            var out = Json.object();
            var list = out.putArray("jobs");
            for (Job j : jobs.get().all()) list.add(j.describe());
            return out;
        });
    }
}
