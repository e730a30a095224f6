package io.llmcp.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real jar's {@code llmcp serve} as a child process over its own data dir: the engine in the foreground with
 * its HTTP API. {@link #url()} is where it listens (started with {@code --port 0}, it picks a free port and says
 * which on its first line); stderr goes to {@code <home>/serve-stderr.txt}.
 */
public final class ServeProcess implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("at (http://[^ ]+)/api ");

    public final Process process;
    public final Path home;
    private final String url;

    private ServeProcess(Process process, Path home, String url) {
        this.process = process;
        this.home = home;
        this.url = url;
    }

    /** Starts {@code llmcp serve --port 0 args...} with {@code LLMCP_HOME=home} and a private run dir. */
    public static ServeProcess start(Path home, String... args) throws Exception {
        Files.createDirectories(home);
        List<String> cmd = new ArrayList<>(List.of(HostProcess.javaBin(), "-Xmx768m", "-XX:TieredStopAtLevel=1",
                "-Dllmcp.consoleLevel=INFO", "-jar", HostProcess.jar().toString(), "serve", "--port", "0"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LLMCP_HOME", home.toString());
        pb.environment().put("XDG_RUNTIME_DIR", Files.createDirectories(home.resolve("run")).toString());
        pb.redirectError(home.resolve("serve-stderr.txt").toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        Matcher m = line == null ? null : URL.matcher(line);
        if (m == null || !m.find()) {
            p.waitFor(10, TimeUnit.SECONDS);
            p.destroyForcibly();
            throw new IllegalStateException("llmcp serve did not start: " + line + "\n" + Files.readString(home.resolve("serve-stderr.txt")));
        }
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // keep stdout flowing
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "serve-stdout");
        drain.setDaemon(true);
        drain.start();
        return new ServeProcess(p, home, m.group(1));
    }

    /** {@code http://127.0.0.1:PORT} */
    public String url() {
        return url;
    }

    public int port() {
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    /** The environment a CLI command needs to reach this engine. */
    public CliRun cli() throws IOException {
        return new CliRun(home).env("XDG_RUNTIME_DIR", home.resolve("run").toString()).jvm("-XX:TieredStopAtLevel=1");
    }

    public String stderr() throws IOException {
        Path f = home.resolve("serve-stderr.txt");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        EngineReaper.stopEngines(home);
    }
}
