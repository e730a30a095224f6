package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code llmcp quota [SIZE|off] [--dry-run]}: shows the store's quota, or sets it ({@code store.setQuota}), which
 * evicts least-recently-used unpinned models until the store fits. {@code --dry-run} lists what would be evicted
 * without changing anything.
 */
@Command(name = "quota", description = {"Show or set the store's size limit (least recently used, unpinned models are evicted to fit).",
        "Examples: llmcp quota · llmcp quota 20GB · llmcp quota 20GB --dry-run · llmcp quota off"})
public final class QuotaCommand extends HostCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SIZE", description = "e.g. 20GB, 500MB, 8GiB; 'off' or 0 removes the limit.")
    String size;

    @Option(names = "--dry-run", description = "Only say which models would be evicted.")
    boolean dryRun;

    @Override
    protected int run(HostConnection host, PrintWriter out) throws Exception {
        JsonNode stats = host.call("store.stats", null);
        if (size == null) {
            if (printedJson(out, Json.object().put("quotaBytes", stats.path("quotaBytes").asLong())
                    .put("storedBytes", stats.path("storedBytes").asLong()))) return 0;
            long q = stats.path("quotaBytes").asLong();
            out.printf("quota   %s%n", q > 0 ? Sizes.bytes(q) : "none (set one with: llmcp quota 20GB)");
            out.printf("stored  %s%n", Sizes.bytes(stats.path("storedBytes").asLong()));
            return 0;
        }
        long bytes;
        try {
            bytes = size.equalsIgnoreCase("off") || size.equalsIgnoreCase("none") ? 0 : Sizes.parse(size);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (dryRun) {
            List<String> evict = wouldEvict(stats, bytes);
            if (printedJson(out, Json.object().put("quotaBytes", bytes).put("dryRun", true).set("evicted", Json.MAPPER.valueToTree(evict)))) {
                return 0;
            }
            if (evict.isEmpty()) {
                out.printf("a quota of %s fits: nothing would be evicted%n", bytes == 0 ? "none" : Sizes.bytes(bytes));
            } else {
                out.printf("a quota of %s would evict (least recently used first, pinned models kept):%n", Sizes.bytes(bytes));
                evict.forEach(id -> out.printf("  %s%n", id));
                out.println("keep one with: llmcp pin <model>");
            }
            return 0;
        }
        JsonNode r = host.call("store.setQuota", Json.object().put("bytes", bytes));
        if (printedJson(out, r)) return 0;
        out.printf("quota set to %s%n", bytes == 0 ? "none" : Sizes.bytes(bytes));
        for (JsonNode id : r.path("evicted")) out.printf("evicted %s%n", id.asText());
        return 0;
    }

    /**
     * What {@code store.setQuota} would evict: least recently used first, skipping pinned models, until the stored
     * bytes fit. Models share chunks, so this counts each model's full size: an estimate that may name one more model
     * than the store would evict.
     */
    static List<String> wouldEvict(JsonNode stats, long quota) {
        List<String> out = new ArrayList<>();
        if (quota <= 0) return out;
        long stored = stats.path("storedBytes").asLong();
        List<JsonNode> models = new ArrayList<>();
        stats.path("models").forEach(models::add);
        models.sort(Comparator.comparingLong(m -> m.path("lastUsed").asLong()));
        for (JsonNode m : models) {
            if (stored <= quota) break;
            if (m.path("pinned").asBoolean()) continue;
            out.add(m.path("modelId").asText());
            stored -= m.path("size").asLong();
        }
        return out;
    }
}
