package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llmcp sites list | allow ORIGIN [--model ID] [--once] | revoke ORIGIN}: page API consent per site. */
@Command(name = "sites", description = "Web sites allowed to use local models through the page API (LanguageModel).",
        subcommands = {SitesCommand.ListSites.class, SitesCommand.Allow.class, SitesCommand.Revoke.class})
public final class SitesCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", description = "List the sites allowed and their models.")
    public static final class ListSites extends HostCommand {
        @Override
        protected int run(HostConnection host, PrintWriter out) throws Exception {
            JsonNode r = host.call("sites.list", Json.object());
            if (printedJson(out, r)) return 0;
            if (r.path("sites").isEmpty()) out.println("no sites allowed");
            for (JsonNode s : r.path("sites")) {
                out.printf("%s\t%s\t%s%n", s.path("origin").asText(), s.path("model").asText("(default model)"),
                        s.path("always").asBoolean() ? "always" : "once");
            }
            return 0;
        }
    }

    @Command(name = "allow", description = "Allow a site (origin such as https://example.com) to use a model.")
    public static final class Allow extends HostCommand {
        @Parameters(index = "0", paramLabel = "ORIGIN")
        String origin;

        @Option(names = "--model", paramLabel = "ID", description = "The model the site gets (else the default model).")
        String model;

        @Option(names = "--once", description = "Only until the engine exits.")
        boolean once;

        @Override
        protected int run(HostConnection host, PrintWriter out) throws Exception {
            var p = Json.object().put("origin", origin).put("always", !once);
            if (model != null) p.put("model", model);
            JsonNode r = host.call("sites.allow", p);
            if (printedJson(out, r)) return 0;
            out.printf("allowed %s%s%n", r.path("origin").asText(), model != null ? " to use " + model : "");
            return 0;
        }
    }

    @Command(name = "revoke", description = "Take a site's permission away.")
    public static final class Revoke extends HostCommand {
        @Parameters(index = "0", paramLabel = "ORIGIN")
        String origin;

        @Override
        protected int run(HostConnection host, PrintWriter out) throws Exception {
            JsonNode r = host.call("sites.revoke", Json.object().put("origin", origin));
            if (printedJson(out, r)) return 0;
            out.printf(r.path("revoked").asBoolean() ? "revoked %s%n" : "%s was not allowed%n", r.path("origin").asText());
            return 0;
        }
    }
}
