package io.llmcp.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from /proc/self/status (Linux); -1 elsewhere. */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {
    }

    /** Current resident set size in bytes. */
    public static long rss() {
        return field("VmRSS:");
    }

    /** Peak resident set size in bytes since start or the last {@link #resetPeak()}. */
    public static long peakRss() {
        return field("VmHWM:");
    }

    /** Resets VmHWM to the current RSS (writing 5 to clear_refs, Linux ≥ 4.0); false when not possible. */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
