package io.llmcp.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The host's settings, kept in {@code <dataDir>/config.json}. Each subsystem reads its own section
 * ({@code "store"}, {@code "fetch"}, {@code "inference"}, …) so this class does not grow with them.
 */
public final class HostConfig {
    /** The extension's pinned ids (the {@code key} in extension/manifest.json and its gecko id). */
    public static final String CHROME_EXTENSION_ID = "elmmfbajkifjcdbkledoobbkbimigcib";
    public static final String FIREFOX_EXTENSION_ID = "llmcp@llmcp.io";

    private final Path file;
    private final ObjectNode root;

    private HostConfig(Path file, ObjectNode root) {
        this.file = file;
        this.root = root;
    }

    public static HostConfig load(Path dataDir) {
        Path file = dataDir.resolve("config.json");
        ObjectNode root = Json.object();
        if (Files.isRegularFile(file)) {
            try {
                JsonNode n = Json.MAPPER.readTree(file.toFile());
                if (n != null && n.isObject()) root = (ObjectNode) n;
            } catch (IOException e) {
                throw new IllegalStateException("config file " + file + " is not valid JSON: " + e.getMessage()
                        + " (fix or delete it)", e);
            }
        }
        return new HostConfig(file, root);
    }

    public static HostConfig empty(Path dataDir) {
        return new HostConfig(dataDir.resolve("config.json"), Json.object());
    }

    public Path file() {
        return file;
    }

    /** A subsystem's settings; an empty object when absent. */
    public ObjectNode section(String name) {
        JsonNode n = root.get(name);
        return n != null && n.isObject() ? (ObjectNode) n : Json.object();
    }

    public ObjectNode editableSection(String name) {
        JsonNode n = root.get(name);
        if (n != null && n.isObject()) return (ObjectNode) n;
        return root.putObject(name);
    }

    /** Origins allowed to talk to the host: the pinned ids plus any the installer added. */
    public Set<String> allowedOrigins() {
        Set<String> out = new LinkedHashSet<>();
        out.add("chrome-extension://" + CHROME_EXTENSION_ID + "/");
        out.add(FIREFOX_EXTENSION_ID);
        for (JsonNode n : root.path("allowedOrigins")) out.add(n.asText());
        return out;
    }

    public void addAllowedOrigins(List<String> origins) {
        Set<String> merged = new LinkedHashSet<>();
        for (JsonNode n : root.path("allowedOrigins")) merged.add(n.asText());
        merged.addAll(origins);
        List<String> list = new ArrayList<>(merged);
        root.set("allowedOrigins", Json.MAPPER.valueToTree(list));
    }

    public void save() throws IOException {
        DataDir.privateDir(file.getParent());
        Path tmp = file.resolveSibling("config.json.tmp");
        Files.deleteIfExists(tmp);
        DataDir.createPrivateFile(tmp); // 0600 before the token goes in; the move keeps it
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
