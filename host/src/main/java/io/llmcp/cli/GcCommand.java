package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmcp gc}: {@code store.gc}, and with {@code --compact} also {@code store.compact}. */
@Command(name = "gc", description = "Free chunks nothing uses (left by interrupted downloads); --compact also shrinks the file.")
public final class GcCommand extends HostCommand {
    @Option(names = "--compact", description = "Then move data into freed space and truncate the store file (store.compact).")
    boolean compact;

    @Override
    protected int run(HostConnection host, PrintWriter out) throws Exception {
        JsonNode gc = host.call("store.gc", null);
        JsonNode c = compact ? host.call("store.compact", null) : null;
        if (json) {
            if (c == null) {
                JsonOutput.print(out, gc);
            } else {
                ObjectNode both = Json.object();
                both.set("gc", gc);
                both.set("compact", c);
                JsonOutput.print(out, both);
            }
            return 0;
        }
        out.printf("gc: %d orphan chunks freed (%s), %d loose blobs removed, %d reference counts repaired, %d ms%n",
                gc.path("orphanChunks").asLong(), Sizes.bytes(gc.path("bytesFreed").asLong()),
                gc.path("blobsRemoved").asLong(), gc.path("refsRepaired").asLong(), gc.path("millis").asLong());
        if (c != null) {
            out.printf("compact: file %s -> %s (%s reclaimed), %d ms%n", Sizes.bytes(c.path("fileBytesBefore").asLong()),
                    Sizes.bytes(c.path("fileBytesAfter").asLong()), Sizes.bytes(c.path("bytesReclaimed").asLong()),
                    c.path("millis").asLong());
        }
        return 0;
    }
}
