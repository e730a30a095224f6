package io.llmcp.cli;

import io.llmcp.failure.DomainException;
import io.llmcp.methods.Failures;
import io.llmcp.protocol.RpcException;
import picocli.CommandLine;

/** A failed command prints one actionable line (with the protocol's error code), not a stack trace. */
final class CliErrors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        Throwable t = ex;
        while (t.getCause() != null && !(t instanceof RpcException) && !(t instanceof DomainException)) t = t.getCause();
        // in-process commands meet the domain's own failures: the same table as the protocol's gives their code
        if (t instanceof DomainException d) t = Failures.domain(d);
        if (t instanceof RpcException e) {
            cl.getErr().println("error " + e.code() + ": " + e.getMessage());
            String fix = ErrorAdvice.fix(e);
            if (fix != null) cl.getErr().println("  " + fix);
            return 2;
        }
        cl.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
        org.slf4j.LoggerFactory.getLogger(CliErrors.class).debug("command failed", ex);
        return 1;
    }
}
