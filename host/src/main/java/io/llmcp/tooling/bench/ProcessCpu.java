package io.llmcp.tooling.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time a process has used so far, for benchmarks that report what a speed-up costs. On Linux the sum
 * of its threads' {@code schedstat} run times (nanosecond resolution, so a block of a few milliseconds
 * can be measured; threads that ended are missing, which the benches' short blocks do not see); elsewhere
 * the JDK's {@code totalCpuDuration} (clock ticks).
 */
final class ProcessCpu {
    private ProcessCpu() {
    }

    static long nanos(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (Files.isDirectory(tasks)) {
            try (Stream<Path> list = Files.list(tasks)) {
                return list.mapToLong(ProcessCpu::taskNanos).sum();
            } catch (IOException | RuntimeException e) {
                // fall through to the portable figure
            }
        }
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(d -> d.toNanos()).orElse(0L);
    }

    private static long taskNanos(Path task) {
        try {
            String line = Files.readString(task.resolve("schedstat")).trim();
            return Long.parseLong(line.substring(0, line.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return 0; // the thread ended while we listed them
        }
    }
}
