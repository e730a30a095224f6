package io.llmcp.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link StoreChild} in a fresh JVM with the test classpath and reads its report lines. */
final class ChildJvm implements AutoCloseable {
    final Process process;
    private final BufferedReader out;
    String lastLine;

    private ChildJvm(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static ChildJvm start(String xmx, Path stderr, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"), StoreChild.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
        return new ChildJvm(pb.start());
    }

    /** The next report line, or null at end of output. */
    String next() throws IOException {
        String line = out.readLine();
        if (line != null) lastLine = line;
        return line;
    }

    void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no MVStore close
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) kill();
        out.close();
    }
}
