package io.llmcp.inference;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.methods.EmbedMethods;
import io.llmcp.methods.SessionsMethods;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcCall;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in all-MiniLM-L6-v2 through the whole embedding path, checked against plain ORT. */
class EmbedderTest {
    private static final String ID = ClasspathModelSource.MINILM_ID;
    private static InferenceService service;

    @BeforeAll
    static void start() {
        service = new InferenceService(Json.object().put("intraOpThreads", 2));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static float[][] embed(List<String> texts, Embedder.Pooling pooling, boolean normalize, int batch) {
        try (var lease = service.embedder(ID, null)) {
            return lease.get().embed(texts, pooling, normalize, batch, CancellationToken.none()).vectors();
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void similarSentencesScoreHigherThanUnrelatedOnes() {
        float[][] v = embed(List.of("The cat sits on the mat.", "A kitten is resting on the rug.",
                "Quarterly revenue grew by eight percent."), Embedder.Pooling.MEAN, true, 8);
        assertThat(v[0]).hasSize(384);
        double similar = cosine(v[0], v[1]), unrelated = cosine(v[0], v[2]);
        assertThat(similar).isGreaterThan(unrelated + 0.3);
        assertThat(Math.sqrt(sumSquares(v[0]))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    private static double sumSquares(float[] v) {
        double s = 0;
        for (float x : v) s += x * x;
        return s;
    }

    @Test
    void matchesPlainOrtWithHandBuiltTensorsAndMeanPooling() throws Exception {
        List<String> texts = List.of("Hello world", "Embeddings turn text into vectors of numbers.", "ünïcödé 🙂 日本語");
        float[][] ours = embed(texts, Embedder.Pooling.MEAN, true, 8);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        byte[] onnx;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
            onnx = in.readAllBytes();
        }
        try (InputStream tok = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json");
             HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tok, Map.of("padding", "false"));
             OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(onnx, opts)) {
            for (int i = 0; i < texts.size(); i++) {
                Encoding e = tokenizer.encode(texts.get(i));
                long[][] ids = {e.getIds()}, mask = {e.getAttentionMask()}, types = {e.getTypeIds()};
                try (OnnxTensor a = OnnxTensor.createTensor(env, ids);
                     OnnxTensor m = OnnxTensor.createTensor(env, mask);
                     OnnxTensor t = OnnxTensor.createTensor(env, types);
                     OrtSession.Result r = session.run(Map.of("input_ids", a, "attention_mask", m, "token_type_ids", t))) {
                    float[][][] hidden = (float[][][]) r.get("last_hidden_state").get().getValue();
                    float[] ref = new float[hidden[0][0].length];
                    for (float[] token : hidden[0]) for (int k = 0; k < ref.length; k++) ref[k] += token[k] / hidden[0].length;
                    double norm = Math.sqrt(sumSquares(ref));
                    for (int k = 0; k < ref.length; k++) {
                        assertThat(ours[i][k]).as("text %d dim %d", i, k)
                                .isCloseTo((float) (ref[k] / norm), org.assertj.core.data.Offset.offset(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void batchedEqualsOneByOneAndClsDiffersFromMean() {
        List<String> texts = List.of("short", "a somewhat longer sentence so that padding is needed in the batch",
                "middle length text here");
        float[][] batched = embed(texts, Embedder.Pooling.MEAN, false, 3);
        for (int i = 0; i < texts.size(); i++) {
            float[] single = embed(List.of(texts.get(i)), Embedder.Pooling.MEAN, false, 1)[0];
            for (int k = 0; k < single.length; k++) {
                assertThat(batched[i][k]).isCloseTo(single[k], org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
        float[][] cls = embed(texts, Embedder.Pooling.CLS, false, 3);
        assertThat(cosine(cls[1], batched[1])).isLessThan(0.999);
        assertThat(cls[1]).isNotEqualTo(batched[1]);
    }

    @Test
    void longTextIsTruncatedToTheModelMaximumAndReported() {
        String longText = "word ".repeat(2000);
        try (var lease = service.embedder(ID, null)) {
            assertThat(lease.get().maxLength()).isEqualTo(512);
            Embedder.Result r = lease.get().embed(List.of("short", longText), Embedder.Pooling.MEAN, true, 4, CancellationToken.none());
            assertThat(r.truncated()).containsExactly(1);
            assertThat(r.tokens()).isEqualTo(3 + 512);
            assertThat(r.provider()).isEqualTo("CPU");
        }
    }

    private static JsonNode call(String method, ObjectNode params) throws Exception {
        RpcCall call = RpcCall.local(method, params, new CancellationToken(), (m, b) -> { });
        MethodRegistry methods = new MethodRegistry();
        EmbedMethods.register(methods, () -> service);
        SessionsMethods.register(methods, () -> service);
        return methods.find(method).orElseThrow(() -> new IllegalArgumentException(method)).handle(call);
    }

    @Test
    void embedMethodShapeAndSessionsListing() throws Exception {
        ObjectNode p = Json.object().put("modelId", ID).put("pooling", "cls").put("normalize", false);
        p.putArray("texts").add("one").add("two");
        JsonNode r = call("embed", p);
        assertThat(r.path("modelId").asText()).isEqualTo(ID);
        assertThat(r.path("dimensions").asInt()).isEqualTo(384);
        assertThat(r.path("vectors")).hasSize(2);
        assertThat(r.path("vectors").get(0)).hasSize(384);
        assertThat(r.path("provider").asText()).isEqualTo("CPU");

        JsonNode list = call("sessions.list", Json.object());
        assertThat(list.path("sessions").toString()).contains(ID);
        JsonNode s = list.path("sessions").get(0);
        assertThat(s.path("bytes").asLong()).isGreaterThan(80_000_000L);
        assertThat(s.path("inUse").asBoolean()).isFalse();
        assertThat(s.path("keepAliveSeconds").asLong()).isEqualTo(300);

        JsonNode unloaded = call("sessions.unload", Json.object().put("modelId", ID));
        assertThat(unloaded.path("unloaded").asBoolean()).isTrue();
        assertThat(call("sessions.list", Json.object()).path("sessions")).isEmpty();
    }

    @Test
    void badParamsAreCodedErrors() {
        List<ObjectNode> bad = new ArrayList<>();
        bad.add(Json.object().put("modelId", ID));                                   // texts missing
        ObjectNode empty = Json.object().put("modelId", ID);
        empty.putArray("texts");
        bad.add(empty);
        ObjectNode notStrings = Json.object().put("modelId", ID);
        notStrings.putArray("texts").add(3);
        bad.add(notStrings);
        ObjectNode tooMany = Json.object().put("modelId", ID);
        for (int i = 0; i <= service.maxEmbedTexts(); i++) tooMany.withArray("texts").add("t");
        bad.add(tooMany);
        ObjectNode pooling = Json.object().put("modelId", ID).put("pooling", "max");
        pooling.putArray("texts").add("x");
        bad.add(pooling);
        for (ObjectNode p : bad) {
            assertThatThrownBy(() -> call("embed", p)).as(p.toString())
                    .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS)));
        }
        ObjectNode unknown = Json.object().put("modelId", "no-such-model");
        unknown.putArray("texts").add("x");
        assertThatThrownBy(() -> call("embed", unknown))
                .satisfies(coded(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.NOT_FOUND);
                    assertThat(e.getMessage()).contains("not downloaded");
                }));
    }

    @Test
    void missingTokenizerIsModelInvalid(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        MatMulModelWriter.write(dir, 4, 4, 0);
        ModelSource src = new DirectoryModelSource("no-tokenizer", dir);
        assertThatThrownBy(() -> Embedder.load(service.factory(), src))
                .satisfies(coded(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID);
                    assertThat(e.getMessage()).contains("tokenizer.json");
                }));
    }

    @Test
    void nonEncoderModelNamesItsInputs(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        MatMulModelWriter.write(dir, 4, 4, 0);
        try (InputStream tok = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            java.nio.file.Files.write(dir.resolve("tokenizer.json"), tok.readAllBytes());
        }
        ModelSource src = new DirectoryModelSource("matmul", dir);
        assertThatThrownBy(() -> Embedder.load(service.factory(), src))
                .satisfies(coded(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID);
                    assertThat(e.data().path("inputs").toString()).contains("X");
                }));
    }

    @Test
    void keepAliveZeroUnloadsAfterTheRequest() {
        service.embedder(ID, Duration.ZERO).close();
        assertThat(service.cache().isLoaded(ID)).isFalse();
    }
}
