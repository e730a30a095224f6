package io.llmcp.models;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Failure;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.fetch.DownloadRequest;
import io.llmcp.fetch.RemoteFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Decides what a pull has to do, without doing it: which files the model consists of, and for each whether
 * to download it or to link a blob the store already holds (the server announced its SHA-256, so zero bytes
 * are fetched). Pure logic: the HEAD requests and the store lookup come in as functions, so the decisions are
 * tested without a network or a store.
 *
 * <p>A pull runs in two steps: {@link #configFile} first (config.json says how many external data parts there
 * are), then {@link #plan} for everything.
 */
public final class PullPlanner {
    private PullPlanner() {
    }

    public enum Action {
        /** Fetch the bytes. */
        DOWNLOAD,
        /** The store holds a blob with the announced SHA-256: link it, download nothing. */
        LINK,
        /** An optional file the repo does not have (404): nothing to do. */
        ABSENT
    }

    /** One file of the plan; {@code remote} is null only for ABSENT. */
    public record PlannedFile(String path, boolean required, String url, RemoteFile remote, Action action) {
        /** The download to run for a DOWNLOAD file: verified against the announced SHA-256 and size. */
        public DownloadRequest request() {
            return new DownloadRequest(path, url, remote == null ? null : remote.sha256(), remote == null ? -1 : remote.size());
        }
    }

    public record Plan(List<PlannedFile> files) {
        public long bytesToDownload() {
            return files.stream().filter(f -> f.action == Action.DOWNLOAD).mapToLong(f -> Math.max(0, f.remote.size())).sum();
        }

        public long bytesLinked() {
            return files.stream().filter(f -> f.action == Action.LINK).mapToLong(f -> Math.max(0, f.remote.size())).sum();
        }

        public List<PlannedFile> with(Action action) {
            return files.stream().filter(f -> f.action == action).toList();
        }
    }

    /** The file to fetch before planning: the model's config.json. */
    public static String configFile(ModelConfig config) {
        return config.configFileName();
    }

    /**
     * Plans every file of the model.
     *
     * @param configJson the parsed config.json (for the external data parts), or null if there is none
     * @param head asks the server about a URL (HEAD); throws ModelException HTTP_NOT_FOUND for a missing file
     * @param storeHas whether the store already holds a blob with this SHA-256
     */
    public static Plan plan(ModelConfig config, JsonNode configJson, Function<String, RemoteFile> head, Predicate<String> storeHas) {
        List<PlannedFile> out = new ArrayList<>();
        for (String path : config.requiredFiles(configJson)) out.add(decide(config, path, true, head, storeHas));
        for (String path : config.optionalFiles()) out.add(decide(config, path, false, head, storeHas));
        return new Plan(List.copyOf(out));
    }

    static PlannedFile decide(ModelConfig config, String path, boolean required, Function<String, RemoteFile> head,
                              Predicate<String> storeHas) {
        String url = config.fileUrl(path).toString();
        RemoteFile remote;
        try {
            remote = head.apply(url);
        } catch (DomainException e) {
            if (!required && e.failure() == Failure.REMOTE_NOT_FOUND) return new PlannedFile(path, false, url, null, Action.ABSENT);
            throw e;
        }
        boolean link = remote.sha256() != null && storeHas.test(remote.sha256());
        return new PlannedFile(path, required, url, remote, link ? Action.LINK : Action.DOWNLOAD);
    }

    /**
     * Whether the server's file differs from the one we hold ({@code models.checkUpdate}). SHA-256 decides when
     * both sides have one; else a size difference; else the ETags, ignoring quotes and the weak marker.
     *
     * @param localSize -1 when unknown
     */
    public static boolean changed(String localSha256, String localEtag, long localSize, RemoteFile remote) {
        if (localSha256 != null && remote.sha256() != null) return !localSha256.equalsIgnoreCase(remote.sha256());
        if (localSize >= 0 && remote.size() >= 0 && localSize != remote.size()) return true;
        if (localEtag == null && remote.etag() == null) return false;
        return !normalize(localEtag).equals(normalize(remote.etag()));
    }

    private static String normalize(String etag) {
        if (etag == null) return "";
        String t = etag.trim();
        if (t.startsWith("W/")) t = t.substring(2);
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) t = t.substring(1, t.length() - 1);
        return t.toLowerCase(Locale.ROOT);
    }
}
