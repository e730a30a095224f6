package io.llmcp.cli;

import picocli.CommandLine.Option;

/**
 * Mixed into every command that calls host methods: decides where the methods run. With
 * {@code --no-engine} they run inside this process (tests, scripts); otherwise the command is a client of
 * the per-user engine, which it starts when none runs.
 */
public final class ConnectionOptions {
    @Option(names = "--no-engine", description = "Run in this process instead of through the shared engine.")
    boolean noEngine;

    public HostConnection connect() {
        // Until the engine exists every command runs in-process; the engine issue replaces this branch.
        return new InProcessConnection();
    }
}
