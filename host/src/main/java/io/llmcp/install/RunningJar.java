package io.llmcp.install;

import io.llmcp.Main;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Where the running jar and Java are: what {@code llmcp install} copies and pins. */
public final class RunningJar {
    private RunningJar() {
    }

    /** The jar Main was loaded from; empty when running from a classes directory (tests, IDE). */
    public static Optional<Path> jar() {
        try {
            var source = Main.class.getProtectionDomain().getCodeSource();
            if (source == null) return Optional.empty();
            Path p = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The Java that runs us (so the launchers use a Java we know is ≥ 17); else {@code JAVA_HOME}'s; else java.home's.
     */
    public static Path java(Map<String, String> env, boolean windows) {
        String exe = windows ? "java.exe" : "java";
        Optional<Path> self = ProcessHandle.current().info().command().map(Path::of).filter(Files::isExecutable);
        if (self.isPresent() && self.get().getFileName().toString().startsWith("java")) return self.get();
        String javaHome = env.get("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank() && Files.isExecutable(Path.of(javaHome, "bin", exe))) return Path.of(javaHome, "bin", exe);
        return Path.of(System.getProperty("java.home"), "bin", exe);
    }
}
