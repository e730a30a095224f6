package io.llmcp.install;

import java.io.IOException;
import java.util.Optional;

/** The Windows registry as the installer needs it; {@link WindowsRegistry} runs reg.exe, tests use a map. */
public interface RegistryAccess {
    /** The key's default value, or empty when the key does not exist. */
    Optional<String> defaultValue(String key) throws IOException;

    void run(RegistryCommand command) throws IOException;

    /** For non-Windows machines: nothing is ever registered there. */
    RegistryAccess NONE = new RegistryAccess() {
        @Override
        public Optional<String> defaultValue(String key) {
            return Optional.empty();
        }

        @Override
        public void run(RegistryCommand command) {
            throw new IllegalStateException("the registry exists only on Windows: " + command.display());
        }
    };
}
