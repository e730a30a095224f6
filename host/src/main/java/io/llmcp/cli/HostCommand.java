package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What every command that calls host methods shares: where the methods run ({@code --no-engine}),
 * {@code --json} (print exactly the protocol method's result, nothing else), and the output stream — stdout
 * through picocli, never {@code System.out}, which belongs to the protocol in host mode.
 */
abstract class HostCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print the protocol method's result as JSON.")
    boolean json;

    @CommandLine.Mixin
    ConnectionOptions connection;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (HostConnection host = connection.connect()) {
            return run(host, out);
        } finally {
            out.flush();
        }
    }

    /** The command's work; returns the exit code. */
    protected abstract int run(HostConnection host, PrintWriter out) throws Exception;

    /** Prints {@code result} as JSON when {@code --json} was given; true means the caller is done. */
    protected boolean printedJson(PrintWriter out, JsonNode result) {
        if (json) JsonOutput.print(out, result);
        return json;
    }
}
