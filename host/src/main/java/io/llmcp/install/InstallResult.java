package io.llmcp.install;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.nio.file.Path;
import java.util.List;

/** What an install (or uninstall) did, step by step, plus advice for the person. */
public record InstallResult(boolean dryRun, Path dataDir, Path launcher, Path cliLauncher, List<String> browsers,
                            List<Step> steps, List<String> notes) {
    public InstallResult {
        browsers = List.copyOf(browsers);
        steps = List.copyOf(steps);
        notes = List.copyOf(notes);
    }

    public boolean changedAnything() {
        return steps.stream().anyMatch(Step::changed);
    }

    public ObjectNode toJson() {
        ObjectNode out = Json.object();
        out.put("dryRun", dryRun);
        out.put("dataDir", dataDir.toString());
        if (launcher != null) out.put("launcher", launcher.toString());
        if (cliLauncher != null) out.put("cliLauncher", cliLauncher.toString());
        out.set("browsers", Json.MAPPER.valueToTree(browsers));
        ArrayNode s = out.putArray("steps");
        for (Step step : steps) {
            s.addObject().put("kind", step.kind()).put("target", step.target()).put("status", step.status()).put("detail", step.detail());
        }
        out.put("changed", changedAnything());
        out.set("notes", Json.MAPPER.valueToTree(notes));
        return out;
    }
}
