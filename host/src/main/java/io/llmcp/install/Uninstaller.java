package io.llmcp.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.DataDir.Os;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code llmcp uninstall}: removes what the install record lists — files, registry keys that still point at our
 * manifests, the origins install added, the directories install created once they are empty — and nothing else:
 * not the model store, not logs, not another program's manifest.
 */
public final class Uninstaller {
    private final InstallEnvironment env;
    private final RegistryAccess registry;

    public Uninstaller(InstallEnvironment env, RegistryAccess registry) {
        this.env = env;
        this.registry = registry;
    }

    public InstallResult uninstall(boolean dryRun) throws IOException {
        Optional<InstallRecord> found = InstallRecord.read(env.recordFile());
        List<Step> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (found.isEmpty()) {
            notes.add("Nothing to uninstall: no install record at " + env.recordFile() + ".");
            notes.addAll(unrecordedManifests(List.of()));
            return new InstallResult(dryRun, env.dataDir(), null, null, List.of(), steps, notes);
        }
        InstallRecord record = found.get();
        for (Map.Entry<String, String> e : record.registryKeys().entrySet()) steps.add(unregister(e.getKey(), e.getValue(), dryRun));
        for (String f : record.files()) {
            Optional<String> other = record.manifests().containsValue(f) ? pointsElsewhere(Path.of(f), record.launcher()) : Optional.empty();
            steps.add(other.isPresent() ? new Step("file", f, "kept", "now points at " + other.get() + ", another install")
                    : removeFile(Path.of(f), dryRun));
        }
        if (!record.allowedOriginsAdded().isEmpty()) steps.add(removeOrigins(record, dryRun));
        steps.add(removeFile(env.recordFile(), dryRun));
        List<Path> dirs = new ArrayList<>();
        for (String d : record.directories()) dirs.add(Path.of(d));
        dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path d : dirs) steps.add(removeDir(d, dryRun, steps));
        notes.add("Models and settings in " + env.dataDir() + " were left alone (the store, config, logs).");
        notes.addAll(unrecordedManifests(record.files()));
        return new InstallResult(dryRun, env.dataDir(), null, null, List.of(), steps, notes);
    }

    /** The launcher a manifest now names when that is not ours (another data dir re-registered the host since). */
    private static Optional<String> pointsElsewhere(Path manifest, String ourLauncher) {
        if (!Files.isRegularFile(manifest) || ourLauncher == null) return Optional.empty();
        try {
            String path = Json.MAPPER.readTree(manifest.toFile()).path("path").asText();
            return path.isEmpty() || path.equals(ourLauncher) ? Optional.empty() : Optional.of(path);
        } catch (IOException e) {
            return Optional.empty(); // unreadable: ours to clean up
        }
    }

    /** Host manifests at the known locations that the record does not list: say so, never delete them. */
    private List<String> unrecordedManifests(List<String> recorded) {
        List<String> out = new ArrayList<>();
        for (BrowserLocation l : BrowserLocations.all(env)) {
            if (Files.isRegularFile(l.manifestFile()) && !recorded.contains(l.manifestFile().toString())) {
                out.add("Left alone: " + l.manifestFile() + " (" + l.browser().displayName()
                        + "), which this install did not write; delete it by hand if it is a leftover.");
            }
        }
        return out;
    }

    private Step unregister(String key, String ourValue, boolean dryRun) throws IOException {
        RegistryCommand cmd = RegistryCommand.delete(key);
        if (env.os() != Os.WINDOWS) return new Step("registry", cmd.display(), "kept", "not on Windows");
        Optional<String> current = registry.defaultValue(key);
        if (current.isEmpty()) return new Step("registry", cmd.display(), "absent", "");
        if (!current.get().equals(ourValue)) return new Step("registry", cmd.display(), "kept", "now points at " + current.get());
        if (dryRun) return new Step("registry", cmd.display(), "would remove", "");
        registry.run(cmd);
        return new Step("registry", cmd.display(), "removed", "");
    }

    private static Step removeFile(Path file, boolean dryRun) throws IOException {
        if (!Files.exists(file)) return new Step("file", file.toString(), "absent", "");
        if (dryRun) return new Step("file", file.toString(), "would remove", "");
        try {
            Files.delete(file);
        } catch (IOException e) {
            // Windows keeps a running jar locked: say so instead of failing the rest.
            return new Step("file", file.toString(), "kept", "could not delete (" + e.getMessage() + "); delete it by hand");
        }
        return new Step("file", file.toString(), "removed", "");
    }

    /** Directories go only when empty and only when install created them. */
    private static Step removeDir(Path dir, boolean dryRun, List<Step> earlier) throws IOException {
        if (!Files.isDirectory(dir)) return new Step("directory", dir.toString(), "absent", "");
        if (dryRun) {
            boolean emptyAfter = true;
            try (var children = Files.list(dir)) {
                for (Path c : (Iterable<Path>) children::iterator) {
                    if (!willBeRemoved(c, earlier)) emptyAfter = false;
                }
            }
            return new Step("directory", dir.toString(), emptyAfter ? "would remove" : "kept", emptyAfter ? "" : "not empty");
        }
        try {
            Files.delete(dir);
            return new Step("directory", dir.toString(), "removed", "");
        } catch (DirectoryNotEmptyException e) {
            return new Step("directory", dir.toString(), "kept", "not empty");
        }
    }

    private static boolean willBeRemoved(Path p, List<Step> earlier) {
        return earlier.stream().anyMatch(s -> s.target().equals(p.toString()) && s.status().equals("would remove"));
    }

    /** Takes back the origins install added; deletes config.json when install created it and nothing else is left. */
    private Step removeOrigins(InstallRecord record, boolean dryRun) throws IOException {
        Path file = env.dataDir().resolve("config.json");
        if (!Files.isRegularFile(file)) return new Step("config", file.toString(), "absent", "");
        JsonNode tree = Json.MAPPER.readTree(file.toFile());
        if (!(tree instanceof ObjectNode root)) return new Step("config", file.toString(), "kept", "not a JSON object; left alone");
        ArrayNode kept = Json.MAPPER.createArrayNode();
        for (JsonNode o : root.path("allowedOrigins")) {
            if (!record.allowedOriginsAdded().contains(o.asText())) kept.add(o);
        }
        boolean onlyOurs = kept.isEmpty() && root.size() == 1 && root.has("allowedOrigins");
        String detail = "allowed origins - " + String.join(", ", record.allowedOriginsAdded());
        if (record.configCreated() && onlyOurs) {
            if (dryRun) return new Step("config", file.toString(), "would remove", detail);
            Files.delete(file);
            return new Step("config", file.toString(), "removed", detail);
        }
        if (dryRun) return new Step("config", file.toString(), "would update", detail);
        if (kept.isEmpty()) root.remove("allowedOrigins");
        else root.set("allowedOrigins", kept);
        Path tmp = file.resolveSibling("config.json.tmp");
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return new Step("config", file.toString(), "updated", detail);
    }
}
