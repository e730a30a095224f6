package io.llmcp.install;

import io.llmcp.app.DataDir.Os;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts the installed launcher with {@code --version}, the cheapest end-to-end proof that its Java starts and its
 * jar is intact. The doctor takes it as a function so unit tests can install a stand-in jar.
 */
@FunctionalInterface
public interface LauncherProbe {
    /** Empty when the launcher ran and answered; else what went wrong, in words. */
    Optional<String> problem(Path launcher);

    /** Runs the real launcher, waiting at most 60 s. */
    static LauncherProbe real(Os os) {
        return launcher -> {
            List<String> cmd = os == Os.WINDOWS ? List.of("cmd.exe", "/d", "/c", launcher.toString(), "--version")
                    : List.of(launcher.toString(), "--version");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                p.getOutputStream().close();
                CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                    try {
                        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return e.toString();
                    }
                });
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return Optional.of("'" + launcher + " --version' did not finish in 60 s");
                }
                String text = out.get(5, TimeUnit.SECONDS).trim();
                if (p.exitValue() == 0 && text.contains("llmcp")) return Optional.empty();
                return Optional.of("'" + launcher + " --version' exited " + p.exitValue() + ": " + (text.length() > 300 ? text.substring(0, 300) + "..." : text));
            } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return Optional.of("could not start " + launcher + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted while starting " + launcher);
            }
        };
    }
}
