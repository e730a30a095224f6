package io.llmcp.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.FrameReader;
import io.llmcp.protocol.FrameWriter;
import io.llmcp.protocol.Json;
import java.io.File;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real shaded jar as a child process, spoken to through real pipes exactly as a browser does.
 * Integration tests (*IT) use it; the jar path comes from failsafe's {@code llmcp.jar} property.
 */
public final class HostProcess implements AutoCloseable {
    public final Process process;
    public final Path home;
    private final FrameWriter writer;
    private final FrameReader reader;

    private HostProcess(Process process, Path home) {
        this.process = process;
        this.home = home;
        this.writer = new FrameWriter(process.getOutputStream(), Integer.MAX_VALUE, ByteOrder.nativeOrder());
        this.reader = new FrameReader(process.getInputStream(), Integer.MAX_VALUE, ByteOrder.nativeOrder());
    }

    public static Path jar() {
        String p = System.getProperty("llmcp.jar");
        if (p == null) p = "target/llmcp-host.jar";
        Path jar = Path.of(p).toAbsolutePath();
        if (!Files.isRegularFile(jar)) throw new IllegalStateException("build the jar first: " + jar);
        return jar;
    }

    public static HostProcess start(Path home, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LLMCP_HOME", home.toString());
        pb.redirectError(home.resolve("stderr.txt").toFile());
        Files.createDirectories(home);
        return new HostProcess(pb.start(), home);
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public void sendRaw(byte[] payload) throws IOException {
        writer.write(payload);
    }

    public void request(Object id, String method, ObjectNode params) throws IOException {
        ObjectNode msg = Json.object().put("jsonrpc", "2.0").put("method", method);
        msg.set("id", Json.MAPPER.valueToTree(id));
        if (params != null) msg.set("params", params);
        sendRaw(Json.MAPPER.writeValueAsBytes(msg));
    }

    /** The next frame, or null at end of stream. */
    public JsonNode next() throws IOException {
        byte[] f = reader.read();
        return f == null ? null : Json.MAPPER.readTree(f);
    }

    public void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    public int waitForExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("host did not exit within " + seconds + " s");
        }
        return process.exitValue();
    }

    public String stderr() throws IOException {
        File f = home.resolve("stderr.txt").toFile();
        return f.exists() ? Files.readString(f.toPath()) : "";
    }

    /** Kills the host and any engine it started for its data dir (browser-mode launches proxy to one). */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            EngineReaper.stopEngines(home);
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the engine of " + home, e);
        }
    }
}
