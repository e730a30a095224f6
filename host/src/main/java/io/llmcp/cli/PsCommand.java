package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code llmcp ps}: the models the engine holds in memory ({@code sessions.list}), like {@code ollama ps}. */
@Command(name = "ps", description = {"Show the models loaded in memory, how much each takes and until when it stays.",
        "Unload one with `llmcp stop MODEL`."})
public final class PsCommand extends HostCommand {
    @Override
    protected int run(HostConnection host, PrintWriter out) throws Exception {
        JsonNode result = host.call("sessions.list", null);
        if (printedJson(out, result)) return 0;
        JsonNode sessions = result.path("sessions");
        long budget = result.path("budgetBytes").asLong();
        if (sessions.isEmpty()) {
            out.println("No model is loaded. A chat or an embedding loads one (llmcp run MODEL).");
            return 0;
        }
        long now = System.currentTimeMillis();
        long total = 0;
        out.printf("%-40s %10s  %-8s %-8s %s%n", "MODEL", "MEMORY", "PROVIDER", "STATE", "UNTIL");
        for (JsonNode s : sessions) {
            total += s.path("bytes").asLong();
            String state = s.path("inUse").asBoolean() ? "running" : "idle";
            out.printf("%-40s %10s  %-8s %-8s %s%n", s.path("modelId").asText(), Sizes.bytes(s.path("bytes").asLong()),
                    s.path("provider").asText("CPU"), state, until(s, now));
        }
        out.printf("%d loaded, %s of the %s budget (inference.memoryBudgetBytes)%n", sessions.size(), Sizes.bytes(total),
                Sizes.bytes(budget));
        return 0;
    }

    /** When the model leaves memory: while a request holds it there is no deadline, a negative keep-alive has none. */
    static String until(JsonNode session, long now) {
        if (session.path("inUse").asBoolean()) return "in use";
        if (!session.has("expiresAt")) return session.path("keepAliveSeconds").asLong() < 0 ? "until stopped" : "-";
        long seconds = Math.max(0, (session.path("expiresAt").asLong() - now) / 1000);
        if (seconds < 60) return "in " + seconds + " s";
        if (seconds < 3600) return "in " + seconds / 60 + " min";
        return "in " + seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
