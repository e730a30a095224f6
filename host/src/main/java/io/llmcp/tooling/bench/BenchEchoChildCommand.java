package io.llmcp.tooling.bench;

import io.llmcp.tooling.bench.ProtocolBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The baseline child of {@code bench protocol}: echoes frames without parsing them. */
@Command(name = "echo-child", hidden = true, description = "Echo native-messaging frames (benchmark baseline).")
public final class BenchEchoChildCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        ProtocolBench.echoFrames();
        return 0;
    }
}
