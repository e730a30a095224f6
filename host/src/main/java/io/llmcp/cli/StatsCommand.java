package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code llmcp stats}: the {@code store.stats} method. */
@Command(name = "stats", description = "Show store sizes, deduplication savings and per-model usage.")
public final class StatsCommand extends HostCommand {
    @Override
    protected int run(HostConnection host, PrintWriter out) throws Exception {
        JsonNode s = host.call("store.stats", null);
        if (printedJson(out, s)) return 0;
        out.printf("store file     %s%n", s.path("file").asText());
        out.printf("logical        %s (what the models' files add up to)%n", Sizes.bytes(s.path("logicalBytes").asLong()));
        out.printf("stored         %s in %d chunks, %d blobs%n", Sizes.bytes(s.path("storedBytes").asLong()),
                s.path("chunkCount").asLong(), s.path("blobCount").asLong());
        out.printf("dedup saved    %s%n", Sizes.bytes(s.path("dedupSavedBytes").asLong()));
        out.printf("file on disk   %s%n", Sizes.bytes(s.path("fileBytes").asLong()));
        if (s.path("partialCount").asLong() > 0) {
            out.printf("unfinished     %d downloads, %s%n", s.path("partialCount").asLong(), Sizes.bytes(s.path("partialBytes").asLong()));
        }
        long quota = s.path("quotaBytes").asLong();
        out.printf("quota          %s%n", quota > 0 ? Sizes.bytes(quota) : "none");
        if (!s.path("models").isEmpty()) {
            out.printf("%n%-40s %10s %-16s %5s%n", "MODEL", "SIZE", "LAST USED", "LOADS");
            for (JsonNode m : s.path("models")) {
                out.printf("%-40s %10s %-16s %5d%n", m.path("modelId").asText(), Sizes.bytes(m.path("size").asLong()),
                        Sizes.time(m.path("lastUsed").asLong()), m.path("loadCount").asLong());
            }
        }
        return 0;
    }
}
