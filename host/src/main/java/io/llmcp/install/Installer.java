package io.llmcp.install;

import io.llmcp.app.DataDir.Os;
import io.llmcp.app.HostConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code llmcp install}: jar → {@code <dataDir>/bin}, launchers beside it, the host manifest into each selected
 * browser's location (plus its registry key on Windows), extra extension ids into config.json, and a record of all
 * of it. Every write is skipped when the bytes are already right, so running it twice changes nothing.
 */
public final class Installer {
    private final InstallEnvironment env;
    private final RegistryAccess registry;

    public Installer(InstallEnvironment env, RegistryAccess registry) {
        this.env = env;
        this.registry = registry;
    }

    /**
     * @param browsers     the browsers to write for; null = those detected (their config dir exists)
     * @param extensionIds extra ids allowed to call the host (Chrome ids or Firefox add-on ids)
     * @param sourceJar    the jar to install (normally the running one)
     * @param java         the Java the launchers run
     */
    public record Request(Set<Browser> browsers, List<String> extensionIds, boolean dryRun, Path sourceJar, Path java,
                          Path userDataDir) {
        public Request(Set<Browser> browsers, List<String> extensionIds, boolean dryRun, Path sourceJar, Path java) {
            this(browsers, extensionIds, dryRun, sourceJar, java, null);
        }
    }

    public InstallResult install(Request req) throws IOException {
        List<String> requestedOrigins = req.extensionIds().stream().map(ExtensionIds::toOrigin).distinct().collect(Collectors.toList());
        if (req.userDataDir() != null) BrowserLocations.inUserDataDir(req.browsers(), req.userDataDir(), env); // fail before writing
        if (!Files.isRegularFile(req.sourceJar())) {
            throw new IOException("the jar to install, " + req.sourceJar() + ", does not exist: build it with 'mvn -B -DskipTests package'");
        }
        InstallRecord previous = InstallRecord.read(env.recordFile()).orElse(InstallRecord.empty());
        FileOps ops = new FileOps(req.dryRun());
        List<Step> steps = new ArrayList<>();
        List<String> files = new ArrayList<>();

        // 1. The jar, copied so the browser keeps working when the repository moves or is rebuilt.
        Path jar = env.installedJar();
        steps.add(copyJar(req.sourceJar(), jar, ops));
        files.add(jar.toString());

        // 2. The launchers: the browser's, and the person's 'llmcp'.
        Path home = env.var("LLMCP_HOME") != null ? env.dataDir() : null;
        Path launcher = env.hostLauncher();
        steps.add(new Step("launcher", launcher.toString(),
                ops.write(launcher, Launchers.render(env.os(), "native-messaging host launcher (browsers start this)", req.java(), jar, home), true),
                "browsers start this"));
        files.add(launcher.toString());
        Path cli = env.cliLauncher();
        steps.add(new Step("launcher", cli.toString(),
                ops.write(cli, Launchers.render(env.os(), "command line, 'llmcp'", req.java(), jar, home), true), "the llmcp command"));
        files.add(cli.toString());

        // 3. Extra extension ids into the host's allow-list; the manifests allow the whole list.
        boolean configExisted = Files.isRegularFile(env.dataDir().resolve("config.json"));
        Set<String> origins = new LinkedHashSet<>();
        List<String> added = addOrigins(requestedOrigins, origins, ops, steps);

        // 4. One manifest per browser (plus, on Windows, the registry key that points at it).
        List<BrowserLocation> locations = locations(req);
        Map<String, String> manifests = new LinkedHashMap<>();
        Map<String, String> keys = new LinkedHashMap<>();
        for (BrowserLocation l : locations) {
            Browser.Family family = l.browser().family();
            byte[] manifest = ManifestTemplates.render(family, launcher, ExtensionIds.forFamily(family, origins));
            steps.add(new Step("manifest", l.manifestFile().toString(), ops.write(l.manifestFile(), manifest, false), l.browser().displayName()));
            files.add(l.manifestFile().toString());
            manifests.put(req.userDataDir() == null ? l.browser().key() : l.browser().key() + ":" + l.detectDir(), l.manifestFile().toString());
            if (env.os() == Os.WINDOWS) {
                steps.add(register(l, req.dryRun()));
                keys.put(l.registryKey(), l.manifestFile().toString());
            }
        }

        // 5. The record of all of it, merged with earlier installs', for uninstall.
        InstallRecord record = new InstallRecord(InstallRecord.VERSION, launcher.toString(), req.java().toString(),
                InstallRecord.union(existing(previous.files()), files),
                merge(previous.manifests(), manifests), merge(previous.registryKeys(), keys),
                InstallRecord.union(previous.directories(), ops.createdDirs().stream().map(Path::toString).collect(Collectors.toList())),
                InstallRecord.union(previous.allowedOriginsAdded(), added),
                previous.configCreated() || (!configExisted && !added.isEmpty()));
        steps.add(new Step("record", env.recordFile().toString(), ops.write(env.recordFile(), record.toBytes(), false), "what uninstall removes"));

        List<String> notes = new ArrayList<>();
        if (locations.isEmpty()) {
            notes.add("No browser detected (looked for " + BrowserLocations.all(env).stream()
                    .map(l -> l.detectDir().toString()).collect(Collectors.joining(", "))
                    + "). Start your browser once, or choose explicitly: --browser " + Browser.keys() + " or --browser all.");
        }
        notes.add(pathHint());
        return new InstallResult(req.dryRun(), env.dataDir(), launcher, cli,
                locations.stream().map(l -> l.browser().key()).collect(Collectors.toList()), steps, notes);
    }

    private static Step copyJar(Path source, Path jar, FileOps ops) throws IOException {
        if (Files.exists(jar) && Files.isSameFile(source, jar)) return new Step("jar", jar.toString(), "unchanged", "running from it");
        try {
            return new Step("jar", jar.toString(), ops.copy(source, jar), "from " + source.toAbsolutePath());
        } catch (IOException e) {
            // Windows cannot replace a jar that a running engine or host has open.
            throw new IOException("could not replace " + jar + " (" + e.getMessage() + "); if the engine is running from it, "
                    + "stop it with 'llmcp engine stop', close the browser, and run the installer again", e);
        }
    }

    /**
     * Adds the requested origins to the host's allow-list in config.json; fills {@code allOrigins} with the whole
     * list (what the manifests must allow) and returns the ones that were new.
     */
    private List<String> addOrigins(List<String> requested, Set<String> allOrigins, FileOps ops, List<Step> steps) throws IOException {
        HostConfig config = HostConfig.load(env.dataDir());
        boolean existed = Files.isRegularFile(config.file());
        allOrigins.addAll(config.allowedOrigins());
        List<String> added = requested.stream().filter(o -> !allOrigins.contains(o)).collect(Collectors.toList());
        allOrigins.addAll(added);
        if (added.isEmpty()) return added;
        config.addAllowedOrigins(added);
        if (!ops.dryRun()) {
            ops.ensureDir(env.dataDir());
            config.save();
        }
        String status = ops.dryRun() ? (existed ? "would update" : "would create") : (existed ? "updated" : "created");
        steps.add(new Step("config", config.file().toString(), status, "allowed origins + " + String.join(", ", added)));
        return added;
    }

    /** Where to write: one profile dir, the browsers asked for, or the detected ones. */
    private List<BrowserLocation> locations(Request req) {
        if (req.userDataDir() != null) return List.of(BrowserLocations.inUserDataDir(req.browsers(), req.userDataDir(), env));
        return req.browsers() == null ? BrowserLocations.detected(env) : BrowserLocations.of(req.browsers(), env);
    }

    private Step register(BrowserLocation l, boolean dryRun) throws IOException {
        RegistryCommand cmd = RegistryCommand.setDefault(l.registryKey(), l.manifestFile().toString());
        var current = registry.defaultValue(l.registryKey());
        String status;
        if (current.isPresent() && current.get().equals(l.manifestFile().toString())) {
            status = "unchanged";
        } else if (dryRun) {
            status = current.isPresent() ? "would update" : "would create";
        } else {
            registry.run(cmd);
            status = current.isPresent() ? "updated" : "created";
        }
        return new Step("registry", cmd.display(), status, l.browser().displayName());
    }

    /** How to get {@code llmcp} on PATH; nothing to do when its dir already is. */
    String pathHint() {
        String bin = env.binDir().toString();
        String path = env.var(env.os() == Os.WINDOWS ? "Path" : "PATH");
        if (path == null) path = env.var("PATH");
        String sep = env.os() == Os.WINDOWS ? ";" : ":";
        if (path != null && List.of(path.split(sep)).contains(bin)) return "'llmcp' is on your PATH (" + bin + ").";
        if (env.os() == Os.WINDOWS) {
            return "To run 'llmcp' from any prompt, add " + bin + " to your user PATH, e.g. in PowerShell: "
                    + "[Environment]::SetEnvironmentVariable('Path', [Environment]::GetEnvironmentVariable('Path','User') + ';" + bin + "', 'User')";
        }
        String profile = env.os() == Os.MAC ? "~/.zprofile" : "~/.profile";
        return "To run 'llmcp' from any shell, add this line to " + profile + ": export PATH=\"" + bin + ":$PATH\"";
    }

    private static List<String> existing(List<String> paths) {
        return paths.stream().filter(p -> Files.exists(Path.of(p))).collect(Collectors.toList());
    }

    private static Map<String, String> merge(Map<String, String> previous, Map<String, String> current) {
        Map<String, String> out = new LinkedHashMap<>(previous);
        out.putAll(current);
        return out;
    }
}
