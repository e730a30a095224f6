package io.llmcp.tooling;

import io.llmcp.host.Host;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;

/**
 * {@code test.job {key, steps, stepMillis, detach, holdUntil}}: a long job that only counts, for the engine's tests
 * (attach, detach, kill -9). With {@code holdUntil} (a file path) it stops after its first step until that file
 * exists, so a test can look at a running job however slow the machine is, then let it finish. The entry point hands it to the engine's host as a {@link io.llmcp.host.MethodModule};
 * it registers only when config {@code engine.testMethods} is true, so a normal install never offers it. Streams {@code test.progress {step, steps}} and answers {@code {key, steps}}.
 */
public final class TestJobMethod {
    private TestJobMethod() {
    }

    public static void register(MethodRegistry registry, Host host) {
        if (!host.config().section("engine").path("testMethods").asBoolean(false)) return;
        registry.register("test.job", call -> {
            String key = call.params().requireString("key");
            int steps = call.params().optInt("steps", 10, 1, 100_000);
            long stepMillis = call.params().optLong("stepMillis", 100, 0, 60_000);
            boolean detach = call.params().optBoolean("detach", true);
            String holdUntil = call.params().optString("holdUntil", null);
            return host.jobs().run(call, "test:" + key, detach, job -> {
                for (int i = 1; i <= steps; i++) {
                    long until = System.nanoTime() + stepMillis * 1_000_000;
                    while (System.nanoTime() < until) {
                        job.token().throwIfCancelled();
                        Thread.sleep(Math.min(10, stepMillis));
                    }
                    job.token().throwIfCancelled();
                    job.notify("test.progress", Json.object().put("step", i).put("steps", steps));
                    while (i == 1 && holdUntil != null && !java.nio.file.Files.exists(java.nio.file.Path.of(holdUntil))) {
                        job.token().throwIfCancelled();
                        Thread.sleep(10);
                    }
                }
                return Json.object().put("key", key).put("steps", steps);
            });
        });
    }
}
