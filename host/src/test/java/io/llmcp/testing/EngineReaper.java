package io.llmcp.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops the engines a test's CLI or proxy processes started for its temp data dir. Those engines are detached
 * (their own session) and idle out only after minutes, so a test that runs commands without {@code --no-engine}
 * must reap them or leave JVMs running on a shared machine. An engine carries its data dir on its command line.
 */
public final class EngineReaper {
    private EngineReaper() {
    }

    /** Engine processes serving {@code home}. */
    public static List<ProcessHandle> engines(Path home) {
        String label = "-Dllmcp.engine.home=" + home;
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(h -> h.info().arguments().map(a -> List.of(a).contains(label)).orElse(false))
                .toList();
    }

    /** SIGKILLs every engine of {@code home} and waits for it to be gone. */
    public static void stopEngines(Path home) throws Exception {
        for (ProcessHandle h : engines(home)) {
            h.destroyForcibly();
            h.onExit().get(10, TimeUnit.SECONDS);
        }
    }
}
