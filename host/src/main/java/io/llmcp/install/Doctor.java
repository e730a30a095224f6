package io.llmcp.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.DataDir.Os;
import io.llmcp.app.HostConfig;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code llmcp doctor}: checks each link between the browser and a running model — Java, the launcher, every
 * manifest a browser would read (and its registry key on Windows), the store's lock, ONNX Runtime — and says how
 * to fix what is broken.
 */
public final class Doctor {
    static final int MIN_JAVA = 17;

    private final InstallEnvironment env;
    private final RegistryAccess registry;
    private final Supplier<ObjectNode> runtimeProbe;
    private final int javaFeature;
    private final LauncherProbe launcherProbe;

    /**
     * @param runtimeProbe  ONNX Runtime's description ({@code RuntimeProbe::describe})
     * @param javaFeature   the running Java's feature version ({@code Runtime.version().feature()})
     * @param launcherProbe starts the launcher ({@link LauncherProbe#real})
     */
    public Doctor(InstallEnvironment env, RegistryAccess registry, Supplier<ObjectNode> runtimeProbe, int javaFeature,
                  LauncherProbe launcherProbe) {
        this.env = env;
        this.registry = registry;
        this.runtimeProbe = runtimeProbe;
        this.javaFeature = javaFeature;
        this.launcherProbe = launcherProbe;
    }

    public List<DoctorCheck> run() {
        List<DoctorCheck> out = new ArrayList<>();
        out.add(java());
        Optional<InstallRecord> record;
        try {
            record = InstallRecord.read(env.recordFile());
        } catch (IOException e) {
            out.add(DoctorCheck.fail("install", e.getMessage(), "delete " + env.recordFile() + " and run 'llmcp install' again"));
            record = Optional.empty();
        }
        Path launcher = record.map(r -> Path.of(r.launcher())).orElse(env.hostLauncher());
        DoctorCheck launcherCheck = launcher(launcher);
        out.add(launcherCheck);
        record.ifPresent(r -> out.add(launcherJava(Path.of(r.java()))));
        if (!launcherCheck.failed()) out.add(launcherStarts(launcher));
        Set<String> allowed = allowedOrigins(out);
        out.addAll(manifests(launcher, allowed));
        out.add(store());
        out.add(onnxRuntime());
        return out;
    }

    public static boolean healthy(List<DoctorCheck> checks) {
        return checks.stream().noneMatch(DoctorCheck::failed);
    }

    private DoctorCheck java() {
        String running = "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ") at " + System.getProperty("java.home");
        if (javaFeature >= MIN_JAVA) return DoctorCheck.ok("java", running);
        return DoctorCheck.fail("java", running + " is older than " + MIN_JAVA,
                "install Java " + MIN_JAVA + " or newer (Debian/Ubuntu: sudo apt install openjdk-17-jre; macOS: brew install openjdk@17; "
                        + "Windows: winget install Microsoft.OpenJDK.17) and set JAVA_HOME to it");
    }

    private DoctorCheck launcher(Path launcher) {
        String reinstall = "run 'install/install.sh' (Windows: install\\install.ps1) or 'llmcp install' again";
        if (!Files.isRegularFile(launcher)) return DoctorCheck.fail("launcher", launcher + " does not exist: the host is not installed", reinstall);
        if (env.os() != Os.WINDOWS && !Files.isExecutable(launcher)) {
            return DoctorCheck.fail("launcher", launcher + " is not executable, so browsers cannot start it", "chmod 755 '" + launcher + "' or " + reinstall);
        }
        if (!Files.isRegularFile(env.installedJar())) {
            return DoctorCheck.fail("launcher", "the jar it runs, " + env.installedJar() + ", is missing", reinstall);
        }
        return DoctorCheck.ok("launcher", launcher + " runs " + env.installedJar());
    }

    private DoctorCheck launcherStarts(Path launcher) {
        return launcherProbe.problem(launcher)
                .map(p -> DoctorCheck.fail("launcher runs", p, "run 'llmcp install' again; if Java is the problem, set JAVA_HOME to a Java "
                        + MIN_JAVA + "+ first"))
                .orElseGet(() -> DoctorCheck.ok("launcher runs", launcher + " --version answered"));
    }

    /** The host's allow-list; a config.json it cannot read stops every browser launch, so that is a failure. */
    private Set<String> allowedOrigins(List<DoctorCheck> out) {
        try {
            HostConfig config = HostConfig.load(env.dataDir());
            out.add(DoctorCheck.ok("config", "allowed callers " + config.allowedOrigins()));
            return config.allowedOrigins();
        } catch (RuntimeException e) {
            out.add(DoctorCheck.fail("config", e.getMessage() + "; the host refuses to start without it",
                    "fix the JSON in " + env.dataDir().resolve("config.json") + " or delete the file (then re-run 'llmcp install --extension-id ...' for extra ids)"));
            return null;
        }
    }

    private DoctorCheck launcherJava(Path java) {
        if (Files.isExecutable(java)) return DoctorCheck.ok("launcher java", java.toString());
        return DoctorCheck.warn("launcher java", "the launcher's Java " + java + " is gone; it falls back to JAVA_HOME or 'java' on PATH, "
                + "which browsers often do not have", "run 'llmcp install' again with Java " + MIN_JAVA + "+ to pin a Java that exists");
    }

    private List<DoctorCheck> manifests(Path launcher, Set<String> allowed) {
        List<DoctorCheck> out = new ArrayList<>();
        int present = 0;
        for (BrowserLocation l : BrowserLocations.all(env)) {
            String name = "manifest " + l.browser().key();
            String fix = "run 'llmcp install --browser " + l.browser().key() + "' (it rewrites the manifest)";
            if (!Files.isRegularFile(l.manifestFile())) {
                if (l.detected()) out.add(DoctorCheck.warn(name, l.browser().displayName() + " is installed but has no host manifest at "
                        + l.manifestFile() + ", so the extension cannot reach the host there", fix));
                continue;
            }
            present++;
            out.add(manifest(name, l, launcher, fix, allowed));
            if (env.os() == Os.WINDOWS) out.add(registryKey(l, fix));
        }
        if (present == 0) {
            out.add(DoctorCheck.fail("manifests", "no browser has the host manifest, so no extension can reach the host",
                    "run 'llmcp install' (or 'llmcp install --browser chrome,firefox')"));
        }
        return out;
    }

    /** Checks the things a browser checks before starting the host, in its order. */
    DoctorCheck manifest(String name, BrowserLocation l, Path launcher, String fix, Set<String> hostAllows) {
        Path file = l.manifestFile();
        JsonNode m;
        try {
            m = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            return DoctorCheck.fail(name, file + " is not valid JSON (" + firstLine(e.getMessage()) + ")", fix);
        }
        if (m == null || !m.isObject()) return DoctorCheck.fail(name, file + " is not a JSON object", fix);
        if (!BrowserLocations.HOST_NAME.equals(m.path("name").asText())) {
            return DoctorCheck.fail(name, file + ": name is '" + m.path("name").asText() + "', the extension connects to '"
                    + BrowserLocations.HOST_NAME + "'", fix);
        }
        if (!"stdio".equals(m.path("type").asText())) return DoctorCheck.fail(name, file + ": type must be \"stdio\"", fix);
        String path = m.path("path").asText();
        if (!path.equals(launcher.toAbsolutePath().toString())) {
            return DoctorCheck.fail(name, file + ": path is '" + path + "', not the launcher " + launcher, fix);
        }
        if (!Files.isRegularFile(Path.of(path)) || (env.os() != Os.WINDOWS && !Files.isExecutable(Path.of(path)))) {
            return DoctorCheck.fail(name, file + ": path " + path + " is missing or not executable", fix);
        }
        String field = ManifestTemplates.allowedField(l.browser().family());
        String pinned = l.browser().family() == Browser.Family.FIREFOX ? HostConfig.FIREFOX_EXTENSION_ID
                : "chrome-extension://" + HostConfig.CHROME_EXTENSION_ID + "/";
        boolean allowed = false;
        for (JsonNode n : m.path(field)) allowed |= pinned.equals(n.asText());
        if (!allowed) {
            return DoctorCheck.fail(name, file + ": " + field + " " + m.path(field) + " does not include the extension's " + pinned, fix);
        }
        if (hostAllows != null) {
            for (JsonNode n : m.path(field)) {
                if (!hostAllows.contains(n.asText())) {
                    return DoctorCheck.warn(name, file + " lets " + n.asText() + " start the host, but the host's allow-list refuses it",
                            "run 'llmcp install --extension-id " + n.asText() + "'");
                }
            }
        }
        return DoctorCheck.ok(name, file + " → " + path + ", allows " + m.path(field));
    }

    private DoctorCheck registryKey(BrowserLocation l, String fix) {
        String name = "registry " + l.browser().key();
        try {
            Optional<String> v = registry.defaultValue(l.registryKey());
            if (v.isEmpty()) return DoctorCheck.fail(name, l.registryKey() + " is missing, so " + l.browser().displayName() + " cannot find the manifest", fix);
            if (!v.get().equals(l.manifestFile().toString())) {
                return DoctorCheck.fail(name, l.registryKey() + " points at " + v.get() + ", not " + l.manifestFile(), fix);
            }
            return DoctorCheck.ok(name, l.registryKey() + " → " + v.get());
        } catch (IOException e) {
            return DoctorCheck.warn(name, "could not read " + l.registryKey() + ": " + e.getMessage(), "check with: reg query \"" + l.registryKey() + "\" /ve");
        }
    }

    private DoctorCheck store() {
        Path file = env.dataDir().resolve(StoreLockProbe.STORE_FILE);
        try {
            StoreLockProbe.Result r = StoreLockProbe.probe(file);
            if (!r.exists()) return DoctorCheck.ok("store", "no store yet at " + file + " (created by the first download)");
            if (!r.locked()) return DoctorCheck.ok("store", file + " is free to open");
            String who = r.holderPid().map(pid -> "process " + pid + describe(pid)).orElse("another process");
            return DoctorCheck.warn("store", file + " is locked by " + who + " (normal while the engine or a browser host is running)",
                    "if that process is stuck, stop it ('llmcp engine stop', or kill " + r.holderPid().map(String::valueOf).orElse("<pid>")
                            + "); to find it on macOS: lsof '" + file + "'");
        } catch (IOException e) {
            return DoctorCheck.fail("store", "cannot read " + file + ": " + e.getMessage(), "check the file's permissions and the disk");
        }
    }

    private static String describe(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).map(c -> " (" + abbreviate(c) + ")").orElse("");
    }

    private DoctorCheck onnxRuntime() {
        ObjectNode ort = runtimeProbe.get();
        if (ort.path("loaded").asBoolean()) {
            return DoctorCheck.ok("onnxruntime", "ONNX Runtime " + ort.path("version").asText() + ", providers " + ort.path("providers"));
        }
        return DoctorCheck.fail("onnxruntime", ort.path("error").asText("ONNX Runtime did not load"),
                "ONNX Runtime unpacks its native library to the temp dir: check that your OS/CPU is one it ships for, that java.io.tmpdir "
                        + "is writable and not mounted noexec, and for the gpu build that CUDA 12 and cuDNN 9 are installed");
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
