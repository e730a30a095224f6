package io.llmcp.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcException;
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
 */
public record DecoderSpec(int layers, int kvHeads, int headDim, int maxPositions, Set<Long> eosIds,
                          boolean hasAttentionMask, boolean hasPositionIds, boolean hasKvCache,
                          boolean hasUseCacheBranch, OnnxJavaType kvType, SamplingParams defaults) {
    private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.(key|value)");
    private static final Set<String> PLAIN_INPUTS = Set.of("input_ids", "attention_mask", "position_ids", "use_cache_branch");

    public DecoderSpec {
        eosIds = Set.copyOf(eosIds);
    }

    /** The same model with other stop tokens (benchmarks and tests use none, so a run has a fixed length). */
    public DecoderSpec withEosIds(Set<Long> ids) {
        return new DecoderSpec(layers, kvHeads, headDim, maxPositions, ids, hasAttentionMask, hasPositionIds, hasKvCache,
                hasUseCacheBranch, kvType, defaults);
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
            throw new RpcException(ErrorCodes.MODEL_INVALID, "cannot read the model's inputs: " + e.getMessage());
        }
    }

    public static DecoderSpec from(JsonNode config, JsonNode generationConfig,
                                   Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs) {
        JsonNode c = config.has("text_config") && !config.has("num_hidden_layers") ? config.get("text_config") : config;
        int heads = intField(c, "num_attention_heads", "n_head");
        int hidden = intField(c, "hidden_size", "n_embd");
        int layers = intField(c, "num_hidden_layers", "n_layer");
        Integer kv = intOrNull(c, "num_key_value_heads");
        int kvHeads = kv != null ? kv : heads;
        Integer hd = intOrNull(c, "head_dim");
        int headDim = hd != null ? hd : hidden / heads;
        Integer max = intOrNull(c, "max_position_embeddings", "n_positions");
        int maxPositions = max != null ? max : Integer.MAX_VALUE;

        Set<Long> eos = new TreeSet<>();
        addIds(eos, c.get("eos_token_id"));
        if (generationConfig != null) addIds(eos, generationConfig.get("eos_token_id"));

        List<String> unknown = new ArrayList<>();
        Set<Integer> pastLayers = new TreeSet<>();
        OnnxJavaType kvType = null;
        for (Map.Entry<String, NodeInfo> in : inputs.entrySet()) {
            String name = in.getKey();
            Matcher m = PAST.matcher(name);
            if (m.matches()) {
                pastLayers.add(Integer.parseInt(m.group(1)));
                TensorInfo info = (TensorInfo) in.getValue().getInfo();
                kvType = info.type;
                checkPastShape(name, info.getShape(), kvHeads, headDim);
            } else if (!PLAIN_INPUTS.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw invalid("the model has inputs the generator does not understand: " + String.join(", ", unknown), unknown);
        }
        if (!inputs.containsKey("input_ids")) throw invalid("the model has no 'input_ids' input", List.of("input_ids"));
        if (!outputs.containsKey("logits")) throw invalid("the model has no 'logits' output", List.of("logits"));
        boolean cache = !pastLayers.isEmpty();
        if (cache) {
            if (pastLayers.size() != layers || !pastLayers.contains(0) || !pastLayers.contains(layers - 1)) {
                throw invalid("config.json says " + layers + " layers but the model has past_key_values for "
                        + pastLayers.size(), List.of("past_key_values"));
            }
            for (int i = 0; i < layers; i++) {
                for (String kind : new String[]{"key", "value"}) {
                    if (!inputs.containsKey("past_key_values." + i + "." + kind)) {
                        throw invalid("missing input past_key_values." + i + "." + kind, List.of("past_key_values." + i + "." + kind));
                    }
                    if (!outputs.containsKey("present." + i + "." + kind)) {
                        throw invalid("missing output present." + i + "." + kind, List.of("present." + i + "." + kind));
                    }
                }
            }
            if (kvType != OnnxJavaType.FLOAT && kvType != OnnxJavaType.FLOAT16) {
                throw invalid("unsupported KV cache type " + kvType + " (float32 and float16 are supported)", List.of());
            }
        }
        if (inputs.containsKey("use_cache_branch") && !cache) {
            throw invalid("the model has 'use_cache_branch' but no past_key_values inputs", List.of("use_cache_branch"));
        }
        return new DecoderSpec(layers, kvHeads, headDim, maxPositions, eos, inputs.containsKey("attention_mask"),
                inputs.containsKey("position_ids"), cache, inputs.containsKey("use_cache_branch"),
                cache ? kvType : OnnxJavaType.FLOAT, generationDefaults(generationConfig));
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
            if (required) throw new RpcException(ErrorCodes.MODEL_INVALID, "missing " + file.getFileName() + " in " + file.getParent());
            return null;
        }
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new RpcException(ErrorCodes.MODEL_INVALID, "invalid " + file.getFileName() + ": " + e.getMessage());
        }
    }

    private static RpcException invalid(String message, List<String> names) {
        var data = Json.object();
        var arr = data.putArray("names");
        new LinkedHashSet<>(names).forEach(arr::add);
        return new RpcException(ErrorCodes.MODEL_INVALID, message, data);
    }
}
