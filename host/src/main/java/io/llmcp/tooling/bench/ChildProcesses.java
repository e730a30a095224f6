package io.llmcp.tooling.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts this same jar as a child process, for benchmarks that measure real pipes and sockets. */
public final class ChildProcesses {
    private ChildProcesses() {
    }

    /** The jar (or classes dir) this code runs from. */
    public static Path selfJar() {
        try {
            return Path.of(ChildProcesses.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Process start(Path home, String... args) throws IOException {
        Files.createDirectories(home);
        Path self = selfJar();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Files.isDirectory(self)) {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.llmcp.Main"));
        } else {
            cmd.addAll(List.of("-jar", self.toString()));
        }
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LLMCP_HOME", home.toString());
        pb.redirectError(home.resolve("child-stderr.txt").toFile());
        return pb.start();
    }
}
