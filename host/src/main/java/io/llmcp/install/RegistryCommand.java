package io.llmcp.install;

import java.util.List;

/**
 * One {@code reg.exe} call, kept both as the argument vector to run and as the exact command line shown to the
 * person (and checked by tests on any OS).
 */
public record RegistryCommand(List<String> argv, String display) {
    public RegistryCommand {
        argv = List.copyOf(argv);
    }

    /** Sets the key's default value to the manifest path: the form the Chrome and MDN docs describe. */
    public static RegistryCommand setDefault(String key, String value) {
        return new RegistryCommand(List.of("reg", "add", key, "/ve", "/t", "REG_SZ", "/d", value, "/f"),
                "reg add \"" + key + "\" /ve /t REG_SZ /d \"" + value + "\" /f");
    }

    public static RegistryCommand delete(String key) {
        return new RegistryCommand(List.of("reg", "delete", key, "/f"), "reg delete \"" + key + "\" /f");
    }
}
