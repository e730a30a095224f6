package io.llmcp.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's settings, kept in {@code <dataDir>/config.json}. Each subsystem reads its own section
 * ({@code "store"}, {@code "fetch"}, {@code "inference"}, …) so this class does not grow with them.
 * {@link ConfigSchema} describes every key: the file is checked against it when loaded (problems are logged and
 * kept in {@link #problems()}; a value of the wrong type is not handed to the subsystem, whose default applies),
 * and {@code llmcp config} edits it through {@link #set}/{@link #unset}.
 */
public final class HostConfig {
    /** The extension's pinned ids (the {@code key} in extension/manifest.json and its gecko id). */
    public static final String CHROME_EXTENSION_ID = "elmmfbajkifjcdbkledoobbkbimigcib";
    public static final String FIREFOX_EXTENSION_ID = "llmcp@llmcp.io";

    private static final Logger log = LoggerFactory.getLogger(HostConfig.class);

    private final Path file;
    /** As in the file (what {@link #save} writes back, unknown or invalid entries included). */
    private final ObjectNode root;
    /** What the subsystems read: {@link #root} without values of the wrong type. */
    private ObjectNode effective;
    private List<String> problems;

    private HostConfig(Path file, ObjectNode root) {
        this.file = file;
        this.root = root;
        recheck();
    }

    private void recheck() {
        ObjectNode copy = root.deepCopy();
        problems = List.copyOf(ConfigSchema.check(copy, true));
        effective = copy;
    }

    /** Loads the file; problems with it are logged as warnings (the host starts with the defaults for them). */
    public static HostConfig load(Path dataDir) {
        HostConfig config = read(dataDir);
        for (String p : config.problems) log.warn("{}: {} (see `llmcp config list`)", config.file, p);
        return config;
    }

    /** Loads the file without logging its problems ({@code llmcp config} reports them itself). */
    public static HostConfig read(Path dataDir) {
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

    /** What is wrong in the file, as "key: problem" lines (unknown keys, values the schema does not allow). */
    public List<String> problems() {
        return problems;
    }

    /** A subsystem's settings; an empty object when absent. Values of the wrong type are left out. */
    public ObjectNode section(String name) {
        JsonNode n = effective.get(name);
        return n != null && n.isObject() ? (ObjectNode) n : Json.object();
    }

    /** The value at a dotted key ({@code fetch.token}) as written in the file, or null when it is not set. */
    public JsonNode get(String key) {
        return ConfigSchema.at(root, key);
    }

    /** Sets a dotted key (creating its section); call {@link #save} to write it. */
    public void set(String key, JsonNode value) {
        int dot = key.indexOf('.');
        ObjectNode parent = dot < 0 ? root : editableSection(key.substring(0, dot));
        parent.set(key.substring(dot + 1), value);
        recheck();
    }

    /** Removes a dotted key (and its section when that becomes empty); true when it was set. */
    public boolean unset(String key) {
        int dot = key.indexOf('.');
        boolean removed;
        if (dot < 0) {
            removed = root.remove(key) != null;
        } else {
            String section = key.substring(0, dot);
            JsonNode n = root.get(section);
            removed = n != null && n.isObject() && ((ObjectNode) n).remove(key.substring(dot + 1)) != null;
            if (removed && n.isEmpty()) root.remove(section);
        }
        recheck();
        return removed;
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
        JsonNode extra = effective.path("allowedOrigins");
        if (extra.isTextual()) out.add(extra.asText());
        for (JsonNode n : extra) out.add(n.asText());
        return out;
    }

    public void addAllowedOrigins(List<String> origins) {
        Set<String> merged = new LinkedHashSet<>();
        for (JsonNode n : root.path("allowedOrigins")) merged.add(n.asText());
        merged.addAll(origins);
        List<String> list = new ArrayList<>(merged);
        root.set("allowedOrigins", Json.MAPPER.valueToTree(list));
        recheck();
    }

    /**
     * Writes the file atomically (a private temporary file in the same directory, then a rename over the old one),
     * readable by its owner only where the file system is POSIX: it may hold {@code fetch.token}.
     */
    public void save() throws IOException {
        DataDir.privateDir(file.getParent());
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path tmp = posix
                ? Files.createTempFile(file.getParent(), "config.json.", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(file.getParent(), "config.json.", ".tmp");
        try {
            Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
