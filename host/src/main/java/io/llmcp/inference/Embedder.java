package io.llmcp.inference;

import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Sentence embeddings from a BERT-style encoder: tokenize (HF tokenizer.json), run {@code input_ids},
 * {@code attention_mask} and {@code token_type_ids} (when the model declares it) in padded batches, pool
 * the last hidden state (masked mean or the [CLS] token) and optionally L2-normalize.
 *
 * <p>Length rule: a text longer than the model's maximum ({@code max_position_embeddings} in config.json,
 * else {@code model_max_length} in tokenizer_config.json, else 512 — counted in tokens including the
 * special ones) is cut at the end to that length, and the result names it in {@code truncated}.
 */
public final class Embedder implements SessionCache.Loaded {
    public enum Pooling {
        MEAN, CLS;

        public static Pooling parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "mean" -> MEAN;
                case "cls" -> CLS;
                default -> throw InferenceException.invalidInput("pooling", "must be mean or cls");
            };
        }
    }

    /** Vectors in input order, which inputs were truncated, how many tokens ran, and on which provider. */
    public record Result(float[][] vectors, List<Integer> truncated, long tokens, String provider) {
    }

    static {
        // The tokenizer's native library ships in the jar: never let DJL try to download anything.
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
    }

    private static final Set<String> KNOWN_INPUTS = Set.of("input_ids", "attention_mask", "token_type_ids");

    private final ModelSession model;
    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final boolean typeIds;
    private final String output;

    private Embedder(ModelSession model, HuggingFaceTokenizer tokenizer, int maxLength, boolean typeIds, String output) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.typeIds = typeIds;
        this.output = output;
    }

    /** Loads the encoder from the model's ONNX file (see {@link #onnxPath}) and its {@code tokenizer.json}. */
    public static Embedder load(SessionFactory factory, ModelSource source) {
        return load(factory, source, onnxPath(source));
    }

    /** {@code model.onnx}, else {@code onnx/model.onnx} (transformers.js layout), else the model's only .onnx file. */
    public static String onnxPath(ModelSource source) {
        if (source.has("model.onnx")) return "model.onnx";
        if (source.has("onnx/model.onnx")) return "onnx/model.onnx";
        List<String> onnx = source.files().keySet().stream().filter(p -> p.endsWith(".onnx")).sorted().toList();
        return onnx.size() == 1 ? onnx.get(0) : "model.onnx";
    }

    public static Embedder load(SessionFactory factory, ModelSource source, String onnxPath) {
        String id = source.modelId();
        if (!source.has("tokenizer.json")) {
            throw SessionFactory.invalid(id, "it has no tokenizer.json, which embeddings need; pull the model with its tokenizer");
        }
        int maxLength = maxLength(source);
        HuggingFaceTokenizer tokenizer;
        try {
            Map<String, String> options = new HashMap<>();
            options.put("addSpecialTokens", "true");
            options.put("padding", "false");         // we pad per batch ourselves
            options.put("truncation", "true");
            options.put("maxLength", Integer.toString(maxLength));
            tokenizer = HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(source.readText("tokenizer.json").getBytes(StandardCharsets.UTF_8)), options);
        } catch (IOException | RuntimeException e) {
            throw SessionFactory.invalid(id, "its tokenizer.json cannot be read: " + e.getMessage(), e);
        }
        ModelSession model = null;
        try {
            model = factory.open(source, onnxPath);
            Map<String, NodeInfo> inputs = model.session().getInputInfo();
            List<String> unknown = new ArrayList<>();
            for (String name : inputs.keySet()) if (!KNOWN_INPUTS.contains(name)) unknown.add(name);
            if (!inputs.containsKey("input_ids") || !inputs.containsKey("attention_mask") || !unknown.isEmpty()) {
                throw new InferenceException(Failure.MODEL_INVALID, "model " + id + " is not a BERT-style encoder: it takes "
                        + inputs.keySet() + "; embeddings need input_ids and attention_mask (token_type_ids optional)",
                        Details.of("modelId", id, "inputs", unknown));
            }
            String out = hiddenStateOutput(id, model.session());
            return new Embedder(model, tokenizer, maxLength, inputs.containsKey("token_type_ids"), out);
        } catch (OrtException e) {
            tokenizer.close();
            if (model != null) model.close();
            throw SessionFactory.invalid(id, "cannot read its inputs and outputs: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            tokenizer.close();
            if (model != null) model.close();
            throw e;
        }
    }

    private static String hiddenStateOutput(String id, OrtSession session) throws OrtException {
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        for (String preferred : List.of("last_hidden_state", "token_embeddings")) {
            if (outputs.containsKey(preferred)) return preferred;
        }
        for (Map.Entry<String, NodeInfo> e : outputs.entrySet()) {
            if (e.getValue().getInfo() instanceof TensorInfo t && t.getShape().length == 3) return e.getKey();
        }
        throw SessionFactory.invalid(id, "no [batch, tokens, hidden] output to pool among " + outputs.keySet());
    }

    static int maxLength(ModelSource source) {
        Integer fromConfig = intField(source, "config.json", "max_position_embeddings");
        if (fromConfig != null) return fromConfig;
        Integer fromTokenizer = intField(source, "tokenizer_config.json", "model_max_length");
        if (fromTokenizer != null && fromTokenizer < 1_000_000) return fromTokenizer; // HF uses 1e30 for "unset"
        return 512;
    }

    private static Integer intField(ModelSource source, String file, String field) {
        if (!source.has(file)) return null;
        try {
            JsonNode n = Json.MAPPER.readTree(source.readText(file)).path(field);
            return n.isIntegralNumber() && n.asLong() > 2 && n.asLong() < Integer.MAX_VALUE ? n.asInt() : null;
        } catch (IOException e) {
            return null;
        }
    }

    public int maxLength() {
        return maxLength;
    }

    @Override
    public String provider() {
        return model.provider();
    }

    @Override
    public long bytes() {
        return model.modelBytes();
    }

    public ModelSession model() {
        return model;
    }

    public Result embed(List<String> texts, Pooling pooling, boolean normalize, int batchSize, CancellationToken token) {
        float[][] vectors = new float[texts.size()][];
        List<Integer> truncated = new ArrayList<>();
        long tokens = 0;
        for (int from = 0; from < texts.size(); from += batchSize) {
            token.throwIfCancelled();
            int to = Math.min(texts.size(), from + batchSize);
            Encoding[] enc = new Encoding[to - from];
            for (int i = from; i < to; i++) {
                enc[i - from] = tokenizer.encode(texts.get(i));
                if (enc[i - from].exceedMaxLength()) truncated.add(i);
                tokens += enc[i - from].getIds().length;
            }
            float[][] batch = runBatch(enc, pooling);
            for (int i = 0; i < batch.length; i++) {
                if (normalize) l2normalize(batch[i]);
                vectors[from + i] = batch[i];
            }
        }
        return new Result(vectors, truncated, tokens, model.provider());
    }

    private float[][] runBatch(Encoding[] enc, Pooling pooling) {
        int b = enc.length;
        int t = 1;
        for (Encoding e : enc) t = Math.max(t, e.getIds().length);
        long[] shape = {b, t};
        LongBuffer ids = LongBuffer.allocate(b * t), mask = LongBuffer.allocate(b * t), types = LongBuffer.allocate(b * t);
        for (int i = 0; i < b; i++) {
            long[] id = enc[i].getIds(), ty = enc[i].getTypeIds();
            for (int j = 0; j < t; j++) {
                boolean real = j < id.length;
                ids.put(real ? id[j] : 0);          // padding id does not matter: the mask hides it
                mask.put(real ? 1 : 0);
                types.put(real && j < ty.length ? ty[j] : 0);
            }
        }
        ids.flip();
        mask.flip();
        types.flip();
        var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, ids, shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, mask, shape));
            if (typeIds) inputs.put("token_type_ids", OnnxTensor.createTensor(env, types, shape));
            try (OrtSession.Result r = model.session().run(inputs, Set.of(output))) {
                OnnxTensor hidden = (OnnxTensor) r.get(0);
                long[] hs = hidden.getInfo().getShape();
                int h = (int) hs[2];
                FloatBuffer data = hidden.getFloatBuffer();
                return pool(data, mask, b, (int) hs[1], h, pooling);
            }
        } catch (OrtException e) {
            throw new InferenceException(Failure.INFERENCE_FAILED, "embedding with " + model.modelId() + " failed: "
                    + e.getMessage(), Details.of("modelId", model.modelId()), e);
        } finally {
            for (OnnxTensor x : inputs.values()) x.close();
        }
    }

    /** Masked mean over real tokens, or the first ([CLS]) token. */
    static float[][] pool(FloatBuffer data, LongBuffer mask, int b, int t, int h, Pooling pooling) {
        float[][] out = new float[b][h];
        for (int i = 0; i < b; i++) {
            if (pooling == Pooling.CLS) {
                data.get(i * t * h, out[i], 0, h);
                continue;
            }
            double[] sum = new double[h];
            int count = 0;
            for (int j = 0; j < t; j++) {
                if (mask.get(i * t + j) == 0) continue;
                count++;
                int base = (i * t + j) * h;
                for (int k = 0; k < h; k++) sum[k] += data.get(base + k);
            }
            for (int k = 0; k < h; k++) out[i][k] = (float) (sum[k] / Math.max(1, count));
        }
        return out;
    }

    static void l2normalize(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        double n = Math.sqrt(s);
        if (n < 1e-12) return;
        for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] / n);
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
