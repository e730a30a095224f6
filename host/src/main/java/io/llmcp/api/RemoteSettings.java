package io.llmcp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.ConfigSchema;
import io.llmcp.app.HostConfig;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The remote providers kept in config.json's {@code remotes} ({@code {"NAME": {"url", "apiKey"?}}}): the one
 * code that reads, checks and writes them, for {@code llmcp remote} and the {@code remotes.*} methods alike.
 * A remote is replaced whole: changing its URL without giving the key again drops the key, so a key can never
 * be moved to another server by editing the URL alone. Failures are coded errors naming the offending field;
 * none of them ever echoes a key.
 */
public final class RemoteSettings {
    /** Letters, digits, '.', '_' and '-', starting with a letter or digit: it prefixes model ids as NAME/MODEL. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final int MAX_URL = 2048;
    static final int MAX_KEY = 4096;

    /** Read-modify-write of config.json, one at a time within this process (two panels adding at once). */
    private static final Object WRITES = new Object();

    private RemoteSettings() {
    }

    /** One configured remote; {@code apiKey} null when it has none. */
    public record Remote(String name, String url, String apiKey) {
        /** What a client may see of it: never the key. */
        public ObjectNode describe() {
            return Json.object().put("name", name).put("url", url).put("hasKey", apiKey != null);
        }

        String endpoint(String path) {
            return (url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + path;
        }

        /** A request to this remote; the key goes only here, to the remote's own URL. */
        HttpRequest.Builder request(String path, Duration timeout) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint(path))).timeout(timeout);
            if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
            return b;
        }

        @Override
        public String toString() {
            return "Remote[" + name + ", " + url + (apiKey != null ? ", with a key" : "") + "]";
        }
    }

    /** The remotes in {@code config} now, in the file's order. */
    public static Map<String, Remote> configured(HostConfig config) {
        Map<String, Remote> out = new LinkedHashMap<>();
        config.section(ConfigSchema.REMOTES).fields().forEachRemaining(e -> {
            JsonNode r = e.getValue();
            String key = r.hasNonNull("apiKey") ? r.get("apiKey").asText() : null;
            out.put(e.getKey(), new Remote(e.getKey(), r.path("url").asText(), key));
        });
        return out;
    }

    /** The remotes of {@code dataDir}'s config.json, read now. */
    public static Map<String, Remote> list(Path dataDir) {
        return configured(HostConfig.read(dataDir));
    }

    /** The remote called {@code name}, or -32004 saying how to add one. */
    public static Remote require(Path dataDir, String name) {
        checkName(name);
        Remote r = list(dataDir).get(name);
        if (r == null) {
            throw new RpcException(ErrorCodes.NOT_FOUND, "no remote named '" + name + "' (add it in the panel's Settings, or: llmcp remote add "
                    + name + " --url URL)", Json.object().put("field", "name"));
        }
        return r;
    }

    /**
     * Adds (or replaces) a remote after checking every field, and writes config.json (owner-only, atomically).
     * {@code apiKey} null or empty: no key.
     *
     * @return true when a remote of that name was replaced
     */
    public static boolean add(Path dataDir, String name, String url, String apiKey) throws IOException {
        checkName(name);
        checkUrl(url);
        String key = apiKey == null || apiKey.isEmpty() ? null : apiKey;
        if (key != null) checkKey(key);
        ObjectNode entry = Json.object().put("url", url);
        if (key != null) entry.put("apiKey", key);
        synchronized (WRITES) {
            HostConfig config = HostConfig.read(dataDir);
            ObjectNode remotes = config.editableSection(ConfigSchema.REMOTES);
            boolean replaced = remotes.has(name);
            remotes.set(name, entry);
            config.save();
            return replaced;
        }
    }

    /** Removes a remote and its key; false when there was none of that name. */
    public static boolean remove(Path dataDir, String name) throws IOException {
        checkName(name);
        synchronized (WRITES) {
            HostConfig config = HostConfig.read(dataDir);
            boolean removed = config.editableSection(ConfigSchema.REMOTES).remove(name) != null;
            if (removed) config.save();
            return removed;
        }
    }

    /** -32602 naming {@code name} unless it is a usable remote name. */
    public static void checkName(String name) {
        if (name == null || name.isEmpty()) throw RpcException.invalidParams("name", "is required");
        if (!NAME.matcher(name).matches()) {
            throw RpcException.invalidParams("name", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"
                    + " (it prefixes the remote's model ids: NAME/MODEL)");
        }
    }

    /**
     * The API base must be https, or plain http to this machine only (a key or a conversation must not cross
     * a network in clear text); no user:password (keys go in the key field, where they are kept private), no
     * query or fragment (paths such as /models are appended to it). -32602 for a malformed URL, -32024 for one
     * the host refuses to talk to; both name the field {@code url}.
     */
    public static void checkUrl(String url) {
        if (url == null || url.isEmpty()) throw RpcException.invalidParams("url", "is required");
        if (url.length() > MAX_URL) throw RpcException.invalidParams("url", "is longer than " + MAX_URL + " characters");
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw RpcException.invalidParams("url", "is not a URL: " + e.getReason());
        }
        if (u.getScheme() == null || u.getHost() == null || u.isOpaque()) {
            throw RpcException.invalidParams("url", "must be an absolute http(s) URL such as https://host/v1");
        }
        if (u.getRawUserInfo() != null) throw refused("must not carry a user name or password; put an API key in the key field");
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw refused("must be the API base without ?query or #fragment (e.g. https://host/v1)");
        }
        String scheme = u.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("https")) return;
        if (!scheme.equals("http")) throw refused("must be https (or http to this machine)");
        try {
            for (InetAddress a : InetAddress.getAllByName(u.getHost())) {
                if (!a.isLoopbackAddress()) throw refused("may be plain http only to this machine (loopback); use https for " + u.getHost());
            }
        } catch (IOException e) {
            throw refused("names a host that cannot be resolved: " + u.getHost());
        }
    }

    /** Visible ASCII only: anything else could not travel in an Authorization header (or would split it). */
    static void checkKey(String key) {
        if (key.length() > MAX_KEY) throw RpcException.invalidParams("apiKey", "is longer than " + MAX_KEY + " characters");
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw RpcException.invalidParams("apiKey", "may hold only visible ASCII characters (no spaces, line breaks or other text)");
            }
        }
    }

    private static RpcException refused(String problem) {
        return new RpcException(ErrorCodes.URL_REFUSED, "URL refused: 'url' " + problem, Json.object().put("field", "url"));
    }
}
