package io.llmcp.engine;

import io.llmcp.failure.Failure;
import io.llmcp.app.DataDir;
import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the user's engine, starting one when none runs. Used by the proxy and by CLI commands.
 *
 * <p>Races: clients that find no engine take {@code spawn.lock} in turn; the first spawns the engine and
 * waits for its socket, the others then find it. The engine itself takes {@code engine.lock} for its whole
 * life, so even an engine started by hand next to a spawned one cannot make two.
 */
public final class EngineLauncher {
    private static final Logger log = LoggerFactory.getLogger(EngineLauncher.class);
    /** File locks are per process; threads of one JVM (tests) queue here first. */
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    /** How an engine comes to life: a detached process normally; tests may start one in their own JVM. */
    @FunctionalInterface
    public interface Starter {
        /** Starts an engine; returns its process, or null when it runs elsewhere (it then holds the lock). */
        Process start(EnginePaths paths) throws IOException;
    }

    private final EnginePaths paths;
    private final Duration timeout;
    private final Starter starter;

    /**
     * Spawns a detached engine when none runs. {@code engineSection} gives config.json's {@code "engine"} section as
     * plain values; the caller reads it, and it is asked only when an engine is about to start (the file as it is
     * then, and no read at all while an engine runs).
     */
    public EngineLauncher(EnginePaths paths, Duration timeout, Supplier<? extends Map<String, ?>> engineSection) {
        this(paths, timeout, p -> spawn(p, configuredJvmOptions(engineSection)));
    }

    public EngineLauncher(EnginePaths paths, Duration timeout, Starter starter) {
        this.paths = paths;
        this.timeout = timeout;
        this.starter = starter;
    }

    /** A connection to the running engine, if one answers on the socket. */
    public static Optional<SocketChannel> tryConnect(EnginePaths paths) {
        if (!Files.exists(paths.socket())) return Optional.empty();
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(paths.socket()));
            return Optional.of(ch);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // nothing to close
                }
            }
            return Optional.empty();
        }
    }

    /** Connects to the engine, starting it when none runs (a stale socket is replaced by the new engine). */
    public SocketChannel connectOrStart() throws IOException {
        Optional<SocketChannel> running = tryConnect(paths);
        if (running.isPresent()) return running.get();
        paths.ensureRunDir();
        long deadline = System.nanoTime() + timeout.toNanos();
        IN_PROCESS.lock();
        try (FileChannel spawnChannel = FileChannel.open(paths.spawnLockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = spawnChannel.lock()) {
            Process spawned = null;
            int spawns = 0;
            while (true) {
                running = tryConnect(paths);
                if (running.isPresent()) return running.get();
                boolean ours = spawned != null && spawned.isAlive();
                // Probe the engine lock only when our own engine is not starting: a probe holds it briefly.
                if (!ours && !engineLockHeld(paths)) {
                    if (spawns == 2) {
                        throw new EngineException(Failure.ENGINE_UNAVAILABLE, "the engine did not start (exit code "
                                + (spawned == null ? "?" : spawned.exitValue()) + "); see " + paths.engineStderr() + " and the log in "
                                + paths.dataDir().resolve("logs"));
                    }
                    spawned = starter.start(paths);
                    spawns++;
                }
                if (System.nanoTime() > deadline) {
                    throw new EngineException(Failure.ENGINE_UNAVAILABLE, "the engine did not answer on " + paths.socket()
                            + " within " + timeout.toSeconds() + " s; see the log in " + paths.dataDir().resolve("logs"));
                }
                sleep(20);
            }
        } finally {
            IN_PROCESS.unlock();
        }
    }

    /** True while some engine process holds {@code engine.lock}. */
    public static boolean engineLockHeld(EnginePaths paths) {
        if (!Files.exists(paths.lockFile())) return false;
        try (FileChannel ch = FileChannel.open(paths.lockFile(), StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) return true;
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts {@code java -cp <our jar> io.llmcp.Main engine run} detached from us: no stdio shared with the
     * proxy (stdin from the null device, stdout discarded, stderr appended to a file), and on Linux in a
     * session of its own ({@code setsid}), so neither the browser closing the proxy's pipes nor a signal to
     * the browser's process group reaches it.
     */
    static Process spawn(EnginePaths paths, List<String> configuredJvmOptions) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.addAll(detachPrefix(DataDir.Os.current(), Files::isExecutable));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java").toString());
        cmd.addAll(jvmOptions(configuredJvmOptions));
        // A label only: lets `ps` (and tests) tell which data dir an engine serves.
        cmd.add("-Dllmcp.engine.home=" + paths.dataDir());
        // Its logs go to the rotating log file; stderr (kept for start-up failures) gets errors only.
        cmd.add("-Dllmcp.consoleLevel=ERROR");
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add("io.llmcp.Main");
        cmd.add("engine");
        cmd.add("run");
        io.llmcp.app.DataDir.privateDir(paths.engineStderr().getParent());
        io.llmcp.app.DataDir.createPrivateFile(paths.engineStderr()); // Redirect.to truncates it but keeps its mode
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File(isWindows() ? "NUL" : "/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.to(paths.engineStderr().toFile()));
        // The engine must serve the data dir we resolved, whatever its environment would derive.
        pb.environment().put("LLMCP_HOME", paths.dataDir().toString());
        io.llmcp.inference.MallocTuning.applyTo(pb.environment()); // the engine loads the models
        Process p = pb.start();
        log.info("started engine process {} for {}", p.pid(), paths.dataDir());
        return p;
    }

    /**
     * The engine holds the models, so it gets the memory settings this JVM was given (the installer's
     * launcher sets them) plus config {@code engine.jvmOptions}, and {@link io.llmcp.inference.JvmTuning}'s collector
     * and initial heap where neither chose one; debugging agents are not passed on.
     */
    static List<String> jvmOptions(List<String> configured) {
        List<String> out = new ArrayList<>();
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-Xss") || a.startsWith("-XX:MaxRAMPercentage")
                    || a.startsWith("-XX:MaxDirectMemorySize") || a.matches("-XX:[+-]Use\\w*GC")) {
                out.add(a);
            }
        }
        out.addAll(configured);
        return io.llmcp.inference.JvmTuning.withDefaults(out); // a small, shrinking heap beside native models
    }

    /**
     * Config {@code engine.jvmOptions}: the elements of its list as text (a scalar as written, a container as
     * nothing, as the file's JSON reads); anything but a list adds none. A config that cannot be read must not
     * keep the engine from starting: it is logged and ignored.
     */
    static List<String> configuredJvmOptions(Supplier<? extends Map<String, ?>> engineSection) {
        List<String> out = new ArrayList<>();
        try {
            if (engineSection.get().get("jvmOptions") instanceof List<?> options) {
                for (Object o : options) out.add(o instanceof Map<?, ?> || o instanceof List<?> ? "" : String.valueOf(o));
            }
        } catch (RuntimeException e) {
            log.warn("ignoring engine.jvmOptions: {}", e.getMessage());
        }
        return out;
    }

    /** The jar (or class path) this process runs from, so the engine is the same build as its client. */
    static String classPath() {
        try {
            Path self = Path.of(EngineLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self)) return self.toString();
        } catch (Exception e) {
            // fall back to the class path
        }
        return System.getProperty("java.class.path");
    }

    /**
     * What to run the engine under so it gets a session of its own (out of the browser's process group,
     * which a browser may signal as a whole): {@code setsid} on Linux; on macOS, which has no setsid
     * command, perl's POSIX::setsid (perl ships with macOS); nothing on Windows (not run there).
     */
    static List<String> detachPrefix(DataDir.Os os, java.util.function.Predicate<Path> executable) {
        if (os == DataDir.Os.WINDOWS) return List.of();
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path p = Path.of(dir, "setsid");
            if (executable.test(p)) return List.of(p.toString());
        }
        Path perl = Path.of("/usr/bin/perl");
        if (executable.test(perl)) return List.of(perl.toString(), "-MPOSIX", "-e", "POSIX::setsid(); exec @ARGV or die \"exec: $!\"");
        return List.of();
    }

    private static boolean isWindows() {
        return DataDir.Os.current() == DataDir.Os.WINDOWS;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(Failure.ENGINE_UNAVAILABLE, "interrupted while waiting for the engine");
        }
    }
}
