package io.llmcp.install;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where one browser looks for the host manifest on one OS.
 *
 * @param detectDir    the browser's own config dir; it exists once the browser has run for this user
 * @param manifestFile the file the installer writes ({@code io.llmcp.host.json})
 * @param registryKey  Windows only: the {@code HKCU\...\NativeMessagingHosts\io.llmcp.host} key whose default
 *                     value must be the manifest's path; null elsewhere
 */
public record BrowserLocation(Browser browser, Path detectDir, Path manifestFile, String registryKey) {
    public boolean detected() {
        return Files.isDirectory(detectDir);
    }
}
