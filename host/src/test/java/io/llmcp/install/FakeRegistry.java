package io.llmcp.install;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory HKCU that applies the same reg commands the installer would run on Windows, and logs them. */
final class FakeRegistry implements RegistryAccess {
    final Map<String, String> values = new LinkedHashMap<>();
    final List<String> ran = new ArrayList<>();

    @Override
    public Optional<String> defaultValue(String key) {
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public void run(RegistryCommand command) {
        ran.add(command.display());
        List<String> a = command.argv();
        if (a.get(1).equals("add")) values.put(a.get(2), a.get(a.indexOf("/d") + 1));
        else if (a.get(1).equals("delete")) values.remove(a.get(2));
        else throw new IllegalArgumentException(command.display());
    }
}
