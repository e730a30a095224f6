package io.llmcp.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/** Helpers to try the engine's socket as another user ({@code nobody}, through {@code runuser}) when we are root. */
final class PeerPermissions {
    private static final String PYTHON = "/usr/bin/python3";
    /** Connects, sends host.info, prints DENIED (cannot connect), CLOSED (no answer) or ANSWERED. */
    private static final String PROBE = String.join("\n",
            "import socket, struct, sys",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
            "try:",
            "    s.connect(sys.argv[1])",
            "except OSError:",
            "    print('DENIED'); sys.exit(0)",
            "body = b'{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"host.info\"}'",
            "try:",
            "    s.sendall(struct.pack('=I', len(body)) + body)",
            "    s.settimeout(10)",
            "    data = s.recv(4)",
            "except OSError:",
            "    data = b''",
            "print('ANSWERED' if data else 'CLOSED')");

    private PeerPermissions() {
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    static boolean canRunAsNobody() {
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of(PYTHON))) return false;
        try {
            Process p = new ProcessBuilder("runuser", "-u", "nobody", "--", "true").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static String connectAsNobody(Path socket) throws Exception {
        Process p = new ProcessBuilder("runuser", "-u", "nobody", "--", PYTHON, "-c", PROBE, socket.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }

    /** Lets any user reach the socket (only for this test): every directory down to it, and the socket itself. */
    static void openUp(Path top, EnginePaths paths) throws IOException {
        for (Path d = paths.runDir(); d != null && d.startsWith(top.getParent()); d = d.getParent()) {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx--x--x"));
        }
        Files.setPosixFilePermissions(paths.socket(), PosixFilePermissions.fromString("rw-rw-rw-"));
    }
}
