package io.llmcp.install;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <dataDir>/install-record.json}: exactly what install wrote, so uninstall removes that and nothing else.
 * It holds no timestamps, so an unchanged install rewrites nothing.
 *
 * @param launcher            the browser launcher's absolute path
 * @param java                the Java the launchers run
 * @param files               every file written (jar, launchers, manifests), in write order
 * @param manifests           browser key → manifest path
 * @param registryKeys        Windows: key → the manifest path it was set to
 * @param directories         directories install created (parents first); removed on uninstall when empty
 * @param allowedOriginsAdded origins install added to config.json
 * @param configCreated       whether install created config.json
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstallRecord(int version, String launcher, String java, List<String> files, Map<String, String> manifests,
                            Map<String, String> registryKeys, List<String> directories, List<String> allowedOriginsAdded,
                            boolean configCreated) {
    public static final int VERSION = 1;

    public InstallRecord {
        files = files == null ? List.of() : List.copyOf(files);
        manifests = manifests == null ? Map.of() : new LinkedHashMap<>(manifests);
        registryKeys = registryKeys == null ? Map.of() : new LinkedHashMap<>(registryKeys);
        directories = directories == null ? List.of() : List.copyOf(directories);
        allowedOriginsAdded = allowedOriginsAdded == null ? List.of() : List.copyOf(allowedOriginsAdded);
    }

    public static InstallRecord empty() {
        return new InstallRecord(VERSION, null, null, List.of(), Map.of(), Map.of(), List.of(), List.of(), false);
    }

    /** The record in {@code file}, empty when there is none. */
    public static Optional<InstallRecord> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), InstallRecord.class));
        } catch (IOException e) {
            throw new IOException("install record " + file + " is unreadable (" + e.getMessage()
                    + "); fix or delete it, then remove the files it listed by hand", e);
        }
    }

    public byte[] toBytes() {
        try {
            return (Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Appends {@code items} to {@code base}, skipping ones already present, keeping order. */
    static List<String> union(List<String> base, List<String> items) {
        List<String> out = new ArrayList<>(base);
        for (String s : items) {
            if (!out.contains(s)) out.add(s);
        }
        return out;
    }
}
