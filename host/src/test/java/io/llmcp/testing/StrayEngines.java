package io.llmcp.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tests that run CLI commands or a browser-style launch go through the per-user engine, which outlives the
 * command by design. This stops every engine serving a test's data dir (its command line carries the dir as
 * a {@code -Dllmcp.engine.home} label), so no test leaves a process behind.
 */
public final class StrayEngines {
    private StrayEngines() {
    }

    public static List<ProcessHandle> serving(Path dataDir) {
        String label = "-Dllmcp.engine.home=" + dataDir.toAbsolutePath();
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(h -> h.info().arguments().map(a -> List.of(a).contains(label)).orElse(false))
                .toList();
    }

    public static void stop(Path dataDir) throws Exception {
        List<ProcessHandle> engines = serving(dataDir);
        for (ProcessHandle h : engines) h.destroy();
        for (ProcessHandle h : engines) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                h.destroyForcibly();
            }
        }
    }
}
