package io.llmcp.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every setting of {@code <dataDir>/config.json}: its dotted key, type, allowed values and default. The one
 * description of the file: {@link HostConfig#load} checks the file against it (and ignores values of the wrong
 * type, so the subsystem's default applies), and {@code llmcp config} refuses anything it does not allow.
 * The subsystems read their section themselves ({@code FetchSettings}, {@code StoreOptions}, …); a test checks
 * that the defaults here are theirs.
 */
public final class ConfigSchema {
    /** How a value is written in the file. */
    public enum Type {
        BOOLEAN("true or false"),
        INTEGER("an integer"),
        STRING("a string"),
        ENUM("one of"),
        /** A JSON array of strings; a single string is accepted as a one-element list. */
        STRING_LIST("a list of strings");

        private final String text;

        Type(String text) {
            this.text = text;
        }
    }

    /**
     * One setting.
     *
     * @param key         dotted path, {@code section.name} or a top-level name
     * @param defaultText the default as people read it ({@code defaultValue} is null when it is computed)
     * @param min         smallest integer allowed ({@link Long#MIN_VALUE}: none)
     * @param max         largest integer allowed ({@link Long#MAX_VALUE}: none)
     * @param allowed     the values of an {@link Type#ENUM}
     * @param element     what each element of a {@link Type#STRING_LIST} must match (null: any non-blank string)
     * @param secret      shown masked unless asked for
     */
    public record Key(String key, Type type, JsonNode defaultValue, String defaultText, long min, long max,
                      List<String> allowed, Pattern element, String elementText, boolean secret, String description) {

        /** What this key accepts, for messages: "an integer from 1 to 16", "one of auto, cpu, cuda", … */
        public String allowedText() {
            return switch (type) {
                case ENUM -> "one of " + String.join(", ", allowed);
                case INTEGER -> {
                    if (min != Long.MIN_VALUE && max != Long.MAX_VALUE) yield "an integer from " + min + " to " + max;
                    if (min != Long.MIN_VALUE) yield "an integer >= " + min;
                    if (max != Long.MAX_VALUE) yield "an integer <= " + max;
                    yield "an integer";
                }
                case STRING_LIST -> "a list of " + (elementText == null ? "strings" : elementText)
                        + " (a JSON array, or values separated by commas)";
                default -> type.text;
            };
        }

        /** The section ({@code fetch}) or null for a top-level key. */
        public String section() {
            int dot = key.indexOf('.');
            return dot < 0 ? null : key.substring(0, dot);
        }

        public String name() {
            return key.substring(key.indexOf('.') + 1);
        }

        /** Null when {@code value} (as stored in the file) is allowed, else why not. */
        public String problem(JsonNode value) {
            switch (type) {
                case BOOLEAN:
                    return value.isBoolean() ? null : "must be " + allowedText();
                case INTEGER:
                    if (!value.isIntegralNumber() || !value.canConvertToLong()) return "must be " + allowedText();
                    long v = value.asLong();
                    return v < min || v > max ? "must be " + allowedText() + ", not " + v : null;
                case STRING:
                    return value.isTextual() ? null : "must be " + allowedText();
                case ENUM:
                    if (!value.isTextual()) return "must be " + allowedText();
                    return allowed.contains(value.asText().toLowerCase(Locale.ROOT)) ? null
                            : "must be " + allowedText() + ", not '" + value.asText() + "'";
                case STRING_LIST:
                    if (value.isTextual()) return elementProblem(value.asText());
                    if (!value.isArray()) return "must be " + allowedText();
                    for (JsonNode e : value) {
                        if (!e.isTextual()) return "must be " + allowedText() + "; " + e + " is not a string";
                        String p = elementProblem(e.asText());
                        if (p != null) return p;
                    }
                    return null;
                default:
                    throw new AssertionError(type);
            }
        }

        private String elementProblem(String s) {
            if (s.isBlank()) return "has an empty value; must be " + allowedText();
            if (element != null && !element.matcher(s).matches()) return "'" + s + "' is not " + elementText;
            return null;
        }

        /**
         * Parses a value typed on the command line by this key's type: {@code true}/{@code false}, an integer, a
         * string, one of the allowed words, or a list (a JSON array, or values separated by commas).
         *
         * @throws IllegalArgumentException naming the key and what it accepts
         */
        public JsonNode parse(List<String> raw) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            if (raw.isEmpty()) throw invalid("needs a value");
            if (type != Type.STRING_LIST && raw.size() > 1) throw invalid("takes one value, got " + raw.size());
            String s = raw.get(0).trim();
            JsonNode value = switch (type) {
                case BOOLEAN -> switch (s.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on", "1" -> f.booleanNode(true);
                    case "false", "no", "off", "0" -> f.booleanNode(false);
                    default -> throw invalid("must be " + allowedText() + ", not '" + s + "'");
                };
                case INTEGER -> {
                    try {
                        yield f.numberNode(Long.parseLong(s.replace("_", "")));
                    } catch (NumberFormatException e) {
                        throw invalid("must be " + allowedText() + ", not '" + s + "'");
                    }
                }
                case STRING -> f.textNode(raw.get(0));
                case ENUM -> f.textNode(s.toLowerCase(Locale.ROOT));
                case STRING_LIST -> {
                    ArrayNode list = f.arrayNode();
                    if (raw.size() == 1 && s.startsWith("[")) {
                        try {
                            JsonNode parsed = io.llmcp.protocol.Json.MAPPER.readTree(s);
                            if (parsed.isArray()) {
                                yield parsed;
                            }
                        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                            throw invalid("is not a JSON array: " + e.getOriginalMessage());
                        }
                    }
                    for (String part : raw) {
                        for (String item : part.split(",")) {
                            if (!item.isBlank()) list.add(item.trim());
                        }
                    }
                    yield list;
                }
            };
            String p = problem(value);
            if (p != null) throw invalid(p);
            return value;
        }

        private IllegalArgumentException invalid(String why) {
            return new IllegalArgumentException(key + " " + why);
        }
    }

    private static final long MIB = 1L << 20;
    /** The origins the host is called with: a Chrome extension origin or a Firefox add-on id. */
    static final Pattern ORIGIN = Pattern.compile("chrome-extension://[a-p]{32}/|[A-Za-z0-9._+-]+@[A-Za-z0-9._-]+"
            + "|\\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\\}");

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        // fetch: downloads (io.llmcp.fetch.FetchSettings)
        string("fetch.token", null, true, "Bearer token for gated repositories (else the HF_TOKEN environment variable); "
                + "only ever sent to fetch.tokenHosts.");
        list("fetch.tokenHosts", List.of("huggingface.co"), null, null, "Hosts (host or host:port) that may see the token.");
        integer("fetch.rateLimitBytesPerSecond", 0, 0, Long.MAX_VALUE, "Download speed limit shared by all downloads; 0 = none.");
        list("fetch.allowHttpHosts", List.of(), null, null, "Hosts besides loopback that may be fetched over plain http.");
        integer("fetch.parallelParts", 4, 1, 16, "Ranged requests in flight per file (1 = one stream).");
        integer("fetch.parallelMinBytes", 64 * MIB, 0, Long.MAX_VALUE, "Files smaller than this use one stream.");
        integer("fetch.partBytes", 4 * MIB, 64 << 10, 64 * MIB, "Bytes per ranged part.");
        bool("fetch.parallelOnLoopback", false, "Use parallel parts for servers on this machine too.");
        integer("fetch.connectTimeoutSeconds", 15, 1, Long.MAX_VALUE, "Connect timeout.");
        integer("fetch.readTimeoutSeconds", 60, 1, Long.MAX_VALUE, "Read timeout.");
        integer("fetch.maxRetries", 5, 0, 20, "Retries of a failed request.");
        integer("fetch.retryBaseDelayMillis", 500, 0, Long.MAX_VALUE, "First retry delay (doubles each retry).");
        string("fetch.userAgent", "llmcp/" + Version.PRODUCT, false, "User-Agent of downloads.");
        // store: the model store (io.llmcp.store.StoreOptions); chunkSize applies to a new store file
        integer("store.chunkSize", 4 * MIB, 16, 16 * MIB - 65536, "Bytes per content-addressed chunk (a new store only).");
        integer("store.commitBytes", 8 * MIB, 16, Long.MAX_VALUE, "New chunk bytes between commits (at least chunkSize).");
        integer("store.retentionMillis", 10_000, 0, Integer.MAX_VALUE, "How long freed file space is kept before reuse.");
        integer("store.cacheMb", 16, 1, Integer.MAX_VALUE, "MVStore page cache in MiB.");
        bool("store.compress", false, "LZF page compression of the store file.");
        // inference: ONNX Runtime and sessions (io.llmcp.inference.OrtRuntime.Settings, InferenceService)
        enumeration("inference.provider", "auto", List.of("auto", "cpu", "cuda"), "Execution provider; auto = CUDA when usable.");
        integer("inference.cudaDevice", 0, 0, Integer.MAX_VALUE, "CUDA device id.");
        integer("inference.intraOpThreads", 0, 0, Integer.MAX_VALUE, "ONNX Runtime intra-op threads; 0 = its default.");
        integer("inference.interOpThreads", 1, 0, Integer.MAX_VALUE, "ONNX Runtime inter-op threads; 0 = its default.");
        bool("inference.prepack", true, "Let ONNX Runtime prepack weights (faster, more memory).");
        enumeration("inference.loadVia", "files", List.of("files", "buffers"),
                "files: write a model under the data dir for ONNX Runtime to memory-map (one copy in memory); "
                        + "buffers: hand it over from memory (twice the memory while loading, no disk).");
        computed("inference.memoryBudgetBytes", Type.INTEGER, "half the RAM", 0, Long.MAX_VALUE,
                "Loaded models beyond this are unloaded, least recently used first.");
        integer("inference.keepAliveSeconds", 300, Long.MIN_VALUE, Long.MAX_VALUE,
                "How long a model stays loaded after a request; 0 = unload at once, negative = keep.");
        integer("inference.embedBatchSize", 32, 1, Integer.MAX_VALUE, "Texts per embedding batch.");
        integer("inference.maxEmbedTexts", 1024, 1, Integer.MAX_VALUE, "Most texts one embed request may carry.");
        // pageApi: LanguageModel on web pages (io.llmcp.sites.SiteMethods, extension/background/page-api.js)
        bool("pageApi.preferLocal", false, "Replace the browser's own LanguageModel on pages even when it is available.");
        string("pageApi.defaultModel", null, false, "Model sites get unless allowed a specific one; unset = the first complete model.");
        // engine: the per-user engine and the browser's proxy (io.llmcp.engine.EngineServer, io.llmcp.proxy.ProxySpin)
        integer("engine.idleExitSeconds", 600, 1, Long.MAX_VALUE, "The engine exits after this long with no client and no job.");
        integer("engine.proxySpinMicros", 100, 0, Long.MAX_VALUE, "How long the proxy polls while an answer is due; 0 = never.");
        integer("engine.proxyIdleSpinMicros", 100, 0, Long.MAX_VALUE, "How long the proxy polls for the next request; 0 = never.");
        list("engine.jvmOptions", List.of(), null, null, "Extra JVM options of a newly started engine.");
        bool("engine.testMethods", false, "Offer the test.job method (the engine's own tests).");
        // api: the engine's HTTP API (io.llmcp.api.ApiSettings, docs/API.md)
        bool("api.enabled", false, "The engine serves the HTTP API (Ollama's /api, OpenAI's /v1); llmcp serve does regardless.");
        string("api.host", "127.0.0.1", false, "Address the HTTP API binds; beyond loopback api.key is required.");
        integer("api.port", 11435, 0, 65535, "Port of the HTTP API.");
        string("api.key", null, true, "When set, every HTTP API request needs 'Authorization: Bearer <key>'.");
        list("api.allowedOrigins", List.of(), null, null, "Web origins allowed to call the HTTP API from a browser.");
        list("api.hostNames", List.of(), null, null, "Host header names the HTTP API accepts besides loopback.");
        integer("api.maxBodyBytes", 8 * MIB, 1, Integer.MAX_VALUE - 8, "Larger HTTP request bodies are refused (413).");
        integer("api.parallel", 2, 1, Integer.MAX_VALUE, "HTTP API requests of one model running at once.");
        integer("api.queue", 16, 0, Integer.MAX_VALUE, "HTTP API requests of one model waiting; more are refused (503).");
        // the callers the host accepts besides the pinned extension ids (`llmcp install --extension-id` adds them)
        list("allowedOrigins", List.of(), ORIGIN, "extension origins (chrome-extension://ID/ or a Firefox add-on id)",
                "Extension origins allowed besides the pinned ones.");
    }

    private ConfigSchema() {
    }

    private static void put(Key k) {
        KEYS.put(k.key(), k);
    }

    private static void string(String key, String def, boolean secret, String description) {
        JsonNode d = def == null ? null : JsonNodeFactory.instance.textNode(def);
        put(new Key(key, Type.STRING, d, def == null ? "none" : def, Long.MIN_VALUE, Long.MAX_VALUE, List.of(), null, null,
                secret, description));
    }

    private static void integer(String key, long def, long min, long max, String description) {
        put(new Key(key, Type.INTEGER, JsonNodeFactory.instance.numberNode(def), Long.toString(def), min, max, List.of(),
                null, null, false, description));
    }

    private static void computed(String key, Type type, String defaultText, long min, long max, String description) {
        put(new Key(key, type, null, defaultText, min, max, List.of(), null, null, false, description));
    }

    private static void bool(String key, boolean def, String description) {
        put(new Key(key, Type.BOOLEAN, JsonNodeFactory.instance.booleanNode(def), Boolean.toString(def), Long.MIN_VALUE,
                Long.MAX_VALUE, List.of(), null, null, false, description));
    }

    private static void enumeration(String key, String def, List<String> allowed, String description) {
        put(new Key(key, Type.ENUM, JsonNodeFactory.instance.textNode(def), def, Long.MIN_VALUE, Long.MAX_VALUE,
                List.copyOf(allowed), null, null, false, description));
    }

    private static void list(String key, List<String> def, Pattern element, String elementText, String description) {
        ArrayNode d = JsonNodeFactory.instance.arrayNode();
        def.forEach(d::add);
        put(new Key(key, Type.STRING_LIST, d, d.toString(), Long.MIN_VALUE, Long.MAX_VALUE, List.of(), element,
                elementText, false, description));
    }

    /** Every known setting, in the order the README and {@code llmcp config list} show them. */
    public static List<Key> keys() {
        return List.copyOf(KEYS.values());
    }

    public static Optional<Key> find(String key) {
        return Optional.ofNullable(KEYS.get(key));
    }

    /**
     * The setting named {@code key}.
     *
     * @throws IllegalArgumentException for an unknown key, naming it, the closest known keys and how to list them all
     */
    public static Key require(String key) {
        Key k = KEYS.get(key);
        if (k != null) return k;
        String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
        List<String> near = KEYS.keySet().stream().filter(n -> n.startsWith(section + ".")
                || n.toLowerCase(Locale.ROOT).endsWith("." + key.substring(key.indexOf('.') + 1).toLowerCase(Locale.ROOT)))
                .collect(Collectors.toList());
        String hint = near.isEmpty() ? "the sections are fetch, store, inference, engine, and the key allowedOrigins"
                : "known keys there: " + String.join(", ", near);
        throw new IllegalArgumentException("unknown setting '" + key + "' (" + hint + "; `llmcp config list` shows them all)");
    }

    /** The value at a dotted key of a config tree, or null. */
    public static JsonNode at(JsonNode root, String key) {
        JsonNode n = root;
        for (String part : key.split("\\.")) {
            if (n == null || !n.isObject()) return null;
            n = n.get(part);
        }
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }

    /**
     * What is wrong with a config tree: unknown keys and values this schema does not allow, each as
     * "key: problem". With {@code dropWrongTypes}, a value of the wrong JSON type is removed from the tree so the
     * subsystem's default applies (values in range problems are kept: the subsystems clamp them).
     */
    public static List<String> check(ObjectNode root, boolean dropWrongTypes) {
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            Key top = KEYS.get(name);
            if (name.equals(REMOTES)) {
                if (remotesProblem(e.getValue(), problems) && dropWrongTypes) it.remove();
                continue;
            }
            if (top != null) {
                if (checkValue(top, e.getValue(), problems, dropWrongTypes)) it.remove();
                continue;
            }
            boolean isSection = KEYS.keySet().stream().anyMatch(k -> k.startsWith(name + "."));
            if (!isSection) {
                problems.add(name + ": unknown setting");
                continue;
            }
            if (!e.getValue().isObject()) {
                problems.add(name + ": must be an object of settings");
                if (dropWrongTypes) it.remove();
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> inner = e.getValue().fields(); inner.hasNext(); ) {
                Map.Entry<String, JsonNode> s = inner.next();
                Key k = KEYS.get(name + "." + s.getKey());
                if (k == null) {
                    problems.add(name + "." + s.getKey() + ": unknown setting");
                } else if (checkValue(k, s.getValue(), problems, dropWrongTypes)) {
                    inner.remove();
                }
            }
        }
        return problems;
    }

    /**
     * {@code remotes} is keyed by names the user picks ({@code llmcp remote add NAME}), so it is checked here
     * rather than listed: {@code {"NAME": {"url": string, "apiKey"?: string}}}. True when it is unusable.
     */
    public static final String REMOTES = "remotes";

    private static boolean remotesProblem(JsonNode value, List<String> problems) {
        if (!value.isObject()) {
            problems.add(REMOTES + ": must be an object {\"NAME\": {\"url\": ..., \"apiKey\": ...}}");
            return true;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            if (!r.getValue().isObject() || !r.getValue().path("url").isTextual()) {
                problems.add(REMOTES + "." + r.getKey() + ": must be {\"url\": string, \"apiKey\"?: string}");
            }
        }
        return false;
    }

    /** Records a problem; true when the value should be dropped. */
    private static boolean checkValue(Key k, JsonNode value, List<String> problems, boolean dropWrongTypes) {
        String p = value.isNull() ? null : k.problem(value);
        if (p == null) return false;
        problems.add(k.key() + ": " + p);
        return dropWrongTypes && !sameJsonType(k, value);
    }

    private static boolean sameJsonType(Key k, JsonNode v) {
        return switch (k.type()) {
            case BOOLEAN -> v.isBoolean();
            case INTEGER -> v.isIntegralNumber();
            case STRING, ENUM -> v.isTextual();
            case STRING_LIST -> v.isArray() || v.isTextual();
        };
    }
}
