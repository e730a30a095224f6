package io.llmcp.cli;

import io.llmcp.failure.DomainException;
import io.llmcp.methods.Failures;
import io.llmcp.engine.EnginePaths;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.RpcException;
import picocli.CommandLine.Option;

/**
 * Mixed into every command that calls host methods: decides where the methods run. With
 * {@code --no-engine} they run inside this process (tests, scripts; the store must not be held by a
 * running engine); otherwise the command is a client of the per-user engine, which it starts when none runs.
 */
public final class ConnectionOptions {
    @Option(names = "--no-engine", description = "Run in this process instead of through the shared engine.")
    boolean noEngine;

    public HostConnection connect() {
        if (noEngine) return new InProcessConnection();
        try {
            return EngineConnection.open(EnginePaths.resolve());
        } catch (RpcException e) {
            throw e;
        } catch (DomainException e) {
            throw Failures.domain(e);
        } catch (Exception e) {
            throw new RpcException(ErrorCodes.ENGINE_UNAVAILABLE, "cannot reach the engine: " + e.getMessage()
                    + " (or run with --no-engine)", null, e);
        }
    }
}
