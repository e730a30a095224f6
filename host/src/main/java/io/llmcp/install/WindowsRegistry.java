package io.llmcp.install;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@link RegistryAccess} through {@code reg.exe}, the same commands the installer prints. Windows only. */
public final class WindowsRegistry implements RegistryAccess {
    @Override
    public Optional<String> defaultValue(String key) throws IOException {
        Result r = exec(List.of("reg", "query", key, "/ve"));
        if (r.exit != 0) return Optional.empty();
        // Output: "    (Default)    REG_SZ    C:\path\io.llmcp.host.json" (the "(Default)" label is localised).
        for (String line : r.output.split("\\R")) {
            int at = line.indexOf("REG_SZ");
            if (at >= 0) return Optional.of(line.substring(at + "REG_SZ".length()).trim());
        }
        return Optional.empty();
    }

    @Override
    public void run(RegistryCommand command) throws IOException {
        Result r = exec(command.argv());
        if (r.exit != 0) throw new IOException(command.display() + " failed (exit " + r.exit + "): " + r.output.trim());
    }

    private static Result exec(List<String> argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), Charset.defaultCharset());
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " did not finish in 30 s");
            }
            return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running reg.exe", e);
        }
    }

    private record Result(int exit, String output) {
    }
}
