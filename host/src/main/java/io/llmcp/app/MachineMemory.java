package io.llmcp.app;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much memory this machine can give a model now. On Linux that is {@code MemAvailable} from /proc/meminfo (free
 * memory plus the page cache the kernel would drop), which "free memory" alone understates by gigabytes; elsewhere
 * the JVM's view of free physical memory.
 */
public final class MachineMemory {
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private MachineMemory() {
    }

    public static long availableBytes() {
        Long fromKernel = memAvailable(MEMINFO);
        if (fromKernel != null) return fromKernel;
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getFreeMemorySize() : Runtime.getRuntime().maxMemory();
    }

    /** {@code MemAvailable: 123456 kB} in bytes, or null when the file or the line is not there. */
    static Long memAvailable(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (!line.startsWith("MemAvailable:")) continue;
                String[] parts = line.substring("MemAvailable:".length()).trim().split("\\s+");
                return Long.parseLong(parts[0]) * (parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? 1024 : 1);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or a kernel that says it differently: the JVM's figure will do
        }
        return null;
    }
}
