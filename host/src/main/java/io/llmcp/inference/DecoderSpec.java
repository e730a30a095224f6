package io.llmcp.inference;

import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the generator needs to know about a decoder-only model: the cache geometry and limits from
 * {@code config.json}, the stop tokens and sampling defaults from {@code generation_config.json}, and which
 * inputs the ONNX graph really declares. The two sources are cross-checked so a mismatch fails at load time with
 * a clear MODEL_INVALID instead of a shape error deep inside ONNX Runtime.
 *
 * <p>Every input is fed the way transformers.js feeds it (docs/MODELS.md): {@code position_ids} count from
 * {@link #positionStart} (1 for Gemma-3 and PaliGemma, else 0), {@code num_logits_to_keep} / {@code logits_to_keep}
 * is 1 (only the last position's logits are computed), {@code cache_position} are the absolute positions of the
 * step's tokens, {@code token_type_ids} are zeros, and every {@code past_*} state (KV cache in float32 or float16,
 * or a hybrid model's {@code past_conv.*}, {@code past_ssm.*}, {@code past_recurrent.*}) starts from the shape the
 * graph declares (symbolic batch 1, other symbolic dims 0) and is then fed back from its {@code present*} output.
 */
public record DecoderSpec(String modelType, int layers, int kvHeads, int headDim, int maxPositions, Set<Long> eosIds,
                          boolean hasAttentionMask, boolean hasPositionIds, int positionStart, boolean hasCachePosition,
                          boolean hasTokenTypeIds, String logitsToKeepInput, List<CacheInput> cacheInputs,
                          boolean hasUseCacheBranch, OnnxJavaType kvType, SamplingParams defaults) {
    private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.(key|value)");
    /** Hybrid architectures' recurrent state, fed back like the KV cache (LFM2, Mamba-style, Qwen3.5...). */
    private static final Pattern STATE = Pattern.compile("past_(conv|ssm|recurrent)\\.(\\d+)");
    private static final Set<String> PLAIN_INPUTS = Set.of("input_ids", "attention_mask", "position_ids",
            "use_cache_branch", "num_logits_to_keep", "logits_to_keep", "cache_position", "token_type_ids");
    /** transformers.js numbers positions from 1 for these model types. */
    private static final Set<String> ONE_BASED_POSITIONS = Set.of("gemma3_text", "gemma3", "paligemma");

    /**
     * A state input and the output that feeds it on the next step.
     *
     * @param initialShape the shape of the state before the first token
     */
    public record CacheInput(String input, String output, OnnxJavaType type, long[] initialShape) {
    }

    public DecoderSpec {
        eosIds = Set.copyOf(eosIds);
        cacheInputs = List.copyOf(cacheInputs);
    }

    public boolean hasKvCache() {
        return !cacheInputs.isEmpty();
    }

    /** The same model with other stop tokens (benchmarks and tests use none, so a run has a fixed length). */
    public DecoderSpec withEosIds(Set<Long> ids) {
        return new DecoderSpec(modelType, layers, kvHeads, headDim, maxPositions, ids, hasAttentionMask, hasPositionIds,
                positionStart, hasCachePosition, hasTokenTypeIds, logitsToKeepInput, cacheInputs, hasUseCacheBranch,
                kvType, defaults);
    }

    /** Reads config.json and generation_config.json (optional) from a model directory. */
    public static DecoderSpec load(Path modelDir, OrtSession session) {
        JsonNode config = readJson(modelDir.resolve("config.json"), true);
        JsonNode generation = readJson(modelDir.resolve("generation_config.json"), false);
        return from(config, generation, session);
    }

    public static DecoderSpec from(JsonNode config, JsonNode generationConfig, OrtSession session) {
        try {
            return from(config, generationConfig, session.getInputInfo(), session.getOutputInfo());
        } catch (OrtException e) {
            throw new InferenceException(Failure.MODEL_INVALID, "cannot read the model's inputs: " + e.getMessage());
        }
    }

    public static DecoderSpec from(JsonNode config, JsonNode generationConfig,
                                   Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs) {
        String modelType = config.path("model_type").asText("unknown");
        if (config.path("is_encoder_decoder").asBoolean(false)) {
            throw invalid("encoder-decoder models are not supported (model_type " + modelType
                    + "); only decoder-only text generation models run", List.of());
        }
        JsonNode c = config.has("text_config") && !config.has("num_hidden_layers") ? config.get("text_config") : config;
        if (c != config && c.hasNonNull("model_type")) modelType = c.get("model_type").asText();
        int heads = intField(c, "num_attention_heads", "n_head");
        int hidden = intField(c, "hidden_size", "n_embd");
        int layers = intField(c, "num_hidden_layers", "n_layer");
        Integer kv = intOrNull(c, "num_key_value_heads");
        int kvHeads = kv != null ? kv : heads;
        Integer hd = intOrNull(c, "head_dim");
        int headDim = hd != null ? hd : hidden / heads;
        Integer max = intOrNull(c, "max_position_embeddings", "n_positions");
        int maxPositions = max != null ? max : Integer.MAX_VALUE;
        int positionStart = ONE_BASED_POSITIONS.contains(modelType) ? 1 : 0;

        Set<Long> eos = new TreeSet<>();
        addIds(eos, c.get("eos_token_id"));
        if (c != config) addIds(eos, config.get("eos_token_id"));
        if (generationConfig != null) addIds(eos, generationConfig.get("eos_token_id"));

        List<String> unknown = new ArrayList<>();
        Set<Integer> pastLayers = new TreeSet<>();
        List<CacheInput> cache = new ArrayList<>();
        OnnxJavaType kvType = null;
        for (Map.Entry<String, NodeInfo> in : inputs.entrySet()) {
            String name = in.getKey();
            Matcher m = PAST.matcher(name);
            Matcher state = STATE.matcher(name);
            if (m.matches() || state.matches()) {
                if (!(in.getValue().getInfo() instanceof TensorInfo info)) {
                    throw invalid(name + " is not a tensor (model_type " + modelType + ")", List.of(name));
                }
                String output;
                if (m.matches()) {
                    pastLayers.add(Integer.parseInt(m.group(1)));
                    kvType = info.type;
                    checkPastShape(name, info.getShape(), kvHeads, headDim);
                    output = "present." + m.group(1) + "." + m.group(2);
                } else {
                    output = "present_" + state.group(1) + "." + state.group(2);
                }
                if (!outputs.containsKey(output)) throw invalid("missing output " + output + " for input " + name, List.of(output));
                if (info.type != OnnxJavaType.FLOAT && info.type != OnnxJavaType.FLOAT16) {
                    throw invalid("unsupported cache type " + info.type + " of " + name
                            + " (float32 and float16 are supported)", List.of(name));
                }
                cache.add(new CacheInput(name, output, info.type, initialShape(info)));
            } else if (!PLAIN_INPUTS.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw invalid("the model has inputs the generator does not understand: " + String.join(", ", unknown)
                    + " (model_type " + modelType + ")", unknown);
        }
        if (!inputs.containsKey("input_ids")) {
            throw invalid("the model has no 'input_ids' input (model_type " + modelType
                    + "); models fed with inputs_embeds (vision, audio) are not supported", List.of("input_ids"));
        }
        if (!outputs.containsKey("logits")) throw invalid("the model has no 'logits' output", List.of("logits"));
        boolean hybrid = cache.size() > pastLayers.size() * 2;
        if (!pastLayers.isEmpty() && !hybrid) {
            if (pastLayers.size() != layers || !pastLayers.contains(0) || !pastLayers.contains(layers - 1)) {
                throw invalid("config.json says " + layers + " layers but the model has past_key_values for "
                        + pastLayers.size(), List.of("past_key_values"));
            }
        }
        for (int i : pastLayers) {
            for (String kind : new String[]{"key", "value"}) {
                if (!inputs.containsKey("past_key_values." + i + "." + kind)) {
                    throw invalid("missing input past_key_values." + i + "." + kind, List.of("past_key_values." + i + "." + kind));
                }
            }
        }
        boolean hasCache = !cache.isEmpty();
        if (inputs.containsKey("use_cache_branch") && !hasCache) {
            throw invalid("the model has 'use_cache_branch' but no past_key_values inputs", List.of("use_cache_branch"));
        }
        String logitsToKeep = inputs.containsKey("num_logits_to_keep") ? "num_logits_to_keep"
                : inputs.containsKey("logits_to_keep") ? "logits_to_keep" : null;
        cache.sort(java.util.Comparator.comparing(CacheInput::input));
        return new DecoderSpec(modelType, layers, kvHeads, headDim, maxPositions, eos, inputs.containsKey("attention_mask"),
                inputs.containsKey("position_ids"), positionStart, inputs.containsKey("cache_position"),
                inputs.containsKey("token_type_ids"), logitsToKeep, cache, inputs.containsKey("use_cache_branch"),
                kvType != null ? kvType : OnnxJavaType.FLOAT, generationDefaults(generationConfig));
    }

    /** As transformers.js builds an empty cache: a symbolic batch is 1, every other symbolic dim 0. */
    private static long[] initialShape(TensorInfo info) {
        long[] shape = info.getShape().clone();
        String[] names = info.getDimensionNames();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] >= 0) continue;
            String n = names != null && i < names.length ? names[i] : "";
            shape[i] = i == 0 || "batch_size".equals(n) ? 1 : 0;
        }
        return shape;
    }

    private static void checkPastShape(String name, long[] shape, int kvHeads, int headDim) {
        if (shape.length != 4) throw invalid(name + " has rank " + shape.length + ", expected 4", List.of(name));
        if (shape[1] > 0 && shape[1] != kvHeads) {
            throw invalid(name + " has " + shape[1] + " heads but config.json says num_key_value_heads=" + kvHeads, List.of(name));
        }
        if (shape[3] > 0 && shape[3] != headDim) {
            throw invalid(name + " has head size " + shape[3] + " but config.json implies head_dim=" + headDim, List.of(name));
        }
    }

    /** generation_config.json's sampling settings; {@code do_sample: false} (HF's default) means greedy. */
    private static SamplingParams generationDefaults(JsonNode g) {
        if (g == null) return SamplingParams.none();
        boolean sample = g.path("do_sample").asBoolean(false);
        Integer maxNew = g.has("max_new_tokens") ? g.get("max_new_tokens").asInt() : null;
        Double penalty = g.has("repetition_penalty") ? g.get("repetition_penalty").asDouble() : null;
        if (!sample) return new SamplingParams(maxNew, 0.0, null, null, penalty, null, List.of());
        return new SamplingParams(maxNew,
                g.has("temperature") ? g.get("temperature").asDouble() : 1.0,
                g.has("top_k") ? g.get("top_k").asInt() : null,
                g.has("top_p") ? g.get("top_p").asDouble() : null,
                penalty, null, List.of());
    }

    private static void addIds(Set<Long> into, JsonNode node) {
        if (node == null || node.isNull()) return;
        if (node.isArray()) node.forEach(n -> into.add(n.asLong()));
        else into.add(node.asLong());
    }

    private static int intField(JsonNode c, String... names) {
        Integer v = intOrNull(c, names);
        if (v == null || v <= 0) {
            throw invalid("config.json lacks a positive '" + names[0] + "'", List.of(names[0]));
        }
        return v;
    }

    private static Integer intOrNull(JsonNode c, String... names) {
        for (String n : names) if (c.hasNonNull(n)) return c.get(n).asInt();
        return null;
    }

    private static JsonNode readJson(Path file, boolean required) {
        if (!Files.isRegularFile(file)) {
            if (required) throw new InferenceException(Failure.MODEL_INVALID, "missing " + file.getFileName() + " in " + file.getParent());
            return null;
        }
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new InferenceException(Failure.MODEL_INVALID, "invalid " + file.getFileName() + ": " + e.getMessage());
        }
    }

    private static InferenceException invalid(String message, List<String> names) {
        return new InferenceException(Failure.MODEL_INVALID, message, Details.of("names", List.copyOf(new LinkedHashSet<>(names))));
    }
}
