package io.llmcp.models;

import io.llmcp.failure.Failure;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.fetch.RepoPath;
import io.llmcp.protocol.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * A model as the extension describes it: a Hugging Face-style repo ({@code url} is its base, e.g.
 * {@code https://huggingface.co/onnx-community/Qwen2.5-0.5B-Instruct/resolve/main/}) and the names of its files,
 * relative to that base. Light enough to live in the browser; the heavy files are fetched by the host.
 *
 * @param size the model's total size as the extension shows it (informational; files are verified individually)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelConfig(String modelId, String name, String url, Long size, String modelFileName, String configFileName,
                          String modelExDataFileName) {

    public static final String DEFAULT_MODEL_FILE = "onnx/model.onnx";
    public static final String DEFAULT_CONFIG_FILE = "config.json";
    /** Fetched when present; a 404 on these is not an error. */
    public static final List<String> OPTIONAL_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "chat_template.jinja", "chat_template.json", "generation_config.json", "special_tokens_map.json");
    /** transformers.js refuses more; so do we, a bigger count is a broken or hostile config. */
    public static final int MAX_EXTERNAL_DATA_PARTS = 100;
    static final int MAX_ID_LENGTH = 200;

    public ModelConfig {
        if (name == null || name.isBlank()) name = modelId;
        if (modelFileName == null || modelFileName.isBlank()) modelFileName = DEFAULT_MODEL_FILE;
        if (configFileName == null || configFileName.isBlank()) configFileName = DEFAULT_CONFIG_FILE;
        if (modelExDataFileName != null && modelExDataFileName.isBlank()) modelExDataFileName = null;
    }

    /** Reads and validates {@code params.config}; errors name the field as {@code config.<field>}. */
    public static ModelConfig fromJson(JsonNode node) {
        return fromJson(node, "config");
    }

    public static ModelConfig fromJson(JsonNode node, String field) {
        if (node == null || node.isNull() || node.isMissingNode()) throw ModelException.invalidInput(field, "is required");
        if (!node.isObject()) throw ModelException.invalidInput(field, "must be an object");
        String modelId = requireText(node, field, "modelId");
        checkId(field + ".modelId", modelId);
        // {repo: "ORG/NAME", revision?} stands for the Hub URL ({HF_ENDPOINT}/ORG/NAME/resolve/main/).
        String url = node.hasNonNull("url") || !node.hasNonNull("repo") ? requireText(node, field, "url")
                : io.llmcp.fetch.HubApi.resolveBase(io.llmcp.fetch.HubApi.endpoint(System.getenv()),
                        requireText(node, field, "repo"), optText(node, field, "revision"));
        Long size = null;
        JsonNode s = node.get("size");
        if (s != null && !s.isNull()) {
            if (!s.isIntegralNumber() || !s.canConvertToLong() || s.asLong() < 0) throw ModelException.invalidInput(field + ".size", "must be a non-negative integer");
            size = s.asLong();
        }
        // dtype picks the variant's file as transformers.js does (q4 -> onnx/model_q4.onnx); modelFileName wins.
        String modelFile = optText(node, field, "modelFileName");
        String dtype = optText(node, field, "dtype");
        if (dtype != null && (modelFile == null || modelFile.isBlank())) modelFile = Dtypes.modelFile(dtype, field + ".dtype");
        ModelConfig c = new ModelConfig(modelId, optText(node, field, "name"), url, size, modelFile,
                optText(node, field, "configFileName"), optText(node, field, "modelExDataFileName"));
        RepoPath.check(field + ".modelFileName", c.modelFileName);
        RepoPath.check(field + ".configFileName", c.configFileName);
        if (c.modelExDataFileName != null) RepoPath.check(field + ".modelExDataFileName", c.modelExDataFileName);
        c.parsedUrl(field + ".url");
        return c;
    }

    public ObjectNode toJson() {
        return Json.MAPPER.valueToTree(this);
    }

    /**
     * The repo's base URL, ending in {@code /}. When {@code url} already points at the model file (users paste
     * that link), the base is what precedes it. Query and fragment are dropped.
     */
    public HttpUrl baseUrl() {
        HttpUrl u = parsedUrl("config.url").newBuilder().query(null).fragment(null).build();
        String path = u.encodedPath();
        String modelPath = HttpUrl.get("https://x/" ).newBuilder().addPathSegments(modelFileName).build().encodedPath();
        if (path.endsWith(modelPath)) {
            path = path.substring(0, path.length() - modelPath.length() + 1);
        } else if (!path.endsWith("/")) {
            path = path + "/";
        }
        return u.newBuilder().encodedPath(path).build();
    }

    /** The URL of a file of this repo; the path is checked first (URL_REFUSED for {@code ..} and the like). */
    public HttpUrl fileUrl(String path) {
        RepoPath.check("path", path);
        return baseUrl().newBuilder().addPathSegments(path).build();
    }

    /** Files that must be there, given the parsed config.json (null when not fetched yet: data parts unknown). */
    public List<String> requiredFiles(JsonNode configJson) {
        Set<String> out = new LinkedHashSet<>();
        out.add(configFileName);
        out.add(modelFileName);
        out.addAll(externalDataParts(configJson));
        if (modelExDataFileName != null) out.add(modelExDataFileName);
        return new ArrayList<>(out);
    }

    /** Files fetched when present, minus any the config already names as required. */
    public List<String> optionalFiles() {
        List<String> out = new ArrayList<>();
        for (String f : OPTIONAL_FILES) {
            if (!f.equals(modelFileName) && !f.equals(configFileName) && !f.equals(modelExDataFileName)) out.add(f);
        }
        return out;
    }

    /**
     * The model's external data files the way transformers.js splits them: {@code model.onnx_data},
     * {@code model.onnx_data_1}, … beside the model file. The count comes from config.json →
     * {@code transformers.js_config.use_external_data_format}: a number or boolean for every model file, or a map
     * from file name ({@code model.onnx}, or {@code model}) to a number or boolean; true means one part.
     */
    public List<String> externalDataParts(JsonNode configJson) {
        int count = externalDataCount(configJson);
        List<String> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) parts.add(modelFileName + "_data" + (i == 0 ? "" : "_" + i));
        return parts;
    }

    int externalDataCount(JsonNode configJson) {
        if (configJson == null) return 0;
        JsonNode f = configJson.path("transformers.js_config").path("use_external_data_format");
        if (f.isObject()) {
            String baseName = modelFileName.substring(modelFileName.lastIndexOf('/') + 1);
            String stem = baseName.endsWith(".onnx") ? baseName.substring(0, baseName.length() - 5) : baseName;
            JsonNode v = f.has(baseName) ? f.get(baseName) : f.has(stem) ? f.get(stem) : f.get(modelFileName);
            return count(v);
        }
        return count(f);
    }

    private static int count(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) return 0;
        long n;
        if (v.isBoolean()) n = v.asBoolean() ? 1 : 0;
        else if (v.isIntegralNumber()) n = v.asLong();
        else throw new ModelException(Failure.MODEL_INVALID, "config.json: use_external_data_format must be a number or boolean, not " + v);
        if (n < 0 || n > MAX_EXTERNAL_DATA_PARTS) {
            throw new ModelException(Failure.MODEL_INVALID, "config.json: use_external_data_format says " + n
                    + " parts; expected 0.." + MAX_EXTERNAL_DATA_PARTS);
        }
        return (int) n;
    }

    private HttpUrl parsedUrl(String field) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        HttpUrl u = lower.startsWith("https://") || lower.startsWith("http://") ? HttpUrl.parse(url) : null;
        if (u == null) throw ModelException.invalidInput(field, "must be an http(s) URL");
        return u;
    }

    private static void checkId(String field, String id) {
        if (id.length() > MAX_ID_LENGTH) throw ModelException.invalidInput(field, "must be at most " + MAX_ID_LENGTH + " characters");
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c == 0x7f) throw ModelException.invalidInput(field, "must not contain control characters");
        }
        if (!id.equals(id.strip())) throw ModelException.invalidInput(field, "must not start or end with whitespace");
    }

    private static String requireText(JsonNode node, String prefix, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) throw ModelException.invalidInput(prefix + "." + name, "is required");
        if (!v.isTextual()) throw ModelException.invalidInput(prefix + "." + name, "must be a string");
        if (v.asText().isBlank()) throw ModelException.invalidInput(prefix + "." + name, "must not be empty");
        return v.asText();
    }

    private static String optText(JsonNode node, String prefix, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw ModelException.invalidInput(prefix + "." + name, "must be a string");
        return v.asText();
    }
}
