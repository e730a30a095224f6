package io.llmcp.models;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.fetch.HubApi;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** dtype → variant file, and a repo's variants with sizes from the Hub tree API (a loopback server as HF_ENDPOINT). */
class VariantsTest {
    static final String TREE = """
            [{"type":"directory","path":"onnx","size":0},
             {"type":"file","path":"config.json","size":700},
             {"type":"file","path":"tokenizer.json","size":9000},
             {"type":"file","path":"onnx/model.onnx","size":500,"lfs":{"oid":"aa","size":500000}},
             {"type":"file","path":"onnx/model.onnx_data","size":130,"lfs":{"oid":"bb","size":2000000000}},
             {"type":"file","path":"onnx/model.onnx_data_1","size":130,"lfs":{"oid":"cc","size":400000000}},
             {"type":"file","path":"onnx/model_fp16.onnx","size":130,"lfs":{"oid":"dd","size":1200000000}},
             {"type":"file","path":"onnx/model_q4.onnx","size":130,"lfs":{"oid":"ee","size":800000000}},
             {"type":"file","path":"onnx/model_q4f16.onnx","size":130,"lfs":{"oid":"ff","size":500000000}},
             {"type":"file","path":"onnx/model_quantized.onnx","size":130,"lfs":{"oid":"gg","size":600000000}},
             {"type":"file","path":"onnx/model_bnb4.onnx","size":130,"lfs":{"oid":"hh","size":700000000}},
             {"type":"file","path":"onnx/model_int8.onnx","size":130,"lfs":{"oid":"ii","size":600000001}},
             {"type":"file","path":"onnx/model_uint8.onnx","size":130,"lfs":{"oid":"jj","size":600000002}},
             {"type":"file","path":"README.md","size":10}]
            """;

    @Test
    void dtypePicksTheVariantFileAsTransformersJsNamesIt() {
        assertThat(Dtypes.modelFile("fp32", "d")).isEqualTo("onnx/model.onnx");
        assertThat(Dtypes.modelFile("q4", "d")).isEqualTo("onnx/model_q4.onnx");
        assertThat(Dtypes.modelFile("q4f16", "d")).isEqualTo("onnx/model_q4f16.onnx");
        assertThat(Dtypes.modelFile("q8", "d")).isEqualTo("onnx/model_quantized.onnx");
        assertThat(Dtypes.modelFile("bnb4", "d")).isEqualTo("onnx/model_bnb4.onnx");
        assertThat(Dtypes.dtypeOf("onnx/model_uint8.onnx")).isEqualTo("uint8");
        assertThat(Dtypes.dtypeOf("onnx/model.onnx_data")).isNull();

        var node = Json.object().put("modelId", "q").put("url", "https://huggingface.co/o/r/resolve/main/").put("dtype", "q4");
        assertThat(ModelConfig.fromJson(node).modelFileName()).isEqualTo("onnx/model_q4.onnx");
        node.put("modelFileName", "onnx/custom.onnx");
        assertThat(ModelConfig.fromJson(node).modelFileName()).isEqualTo("onnx/custom.onnx");
        var bad = Json.object().put("modelId", "q").put("url", "https://huggingface.co/o/r/resolve/main/").put("dtype", "q3");
        assertThatThrownBy(() -> ModelConfig.fromJson(bad)).satisfies(coded(e -> assertThat(e.data().get("field").asText()).isEqualTo("config.dtype")));
        var repo = Json.object().put("modelId", "q").put("repo", "onnx-community/Qwen3-0.6B-ONNX").put("dtype", "q4f16");
        ModelConfig fromRepo = ModelConfig.fromJson(repo);
        assertThat(fromRepo.url()).endsWith("/onnx-community/Qwen3-0.6B-ONNX/resolve/main/");
        assertThat(fromRepo.requiredFiles(null)).contains("onnx/model_q4f16.onnx");
    }

    @Test
    void listsEveryVariantWithItsDataFilesAndSizeFromTheHubTree() throws Exception {
        try (MockWebServer hub = new MockWebServer()) {
            hub.enqueue(new MockResponse().setBody(TREE).setHeader("Content-Type", "application/json"));
            hub.enqueue(new MockResponse().setResponseCode(404));
            String endpoint = HubApi.endpoint(Map.of("HF_ENDPOINT", hub.url("/mirror/").toString()));
            HubApi api = new HubApi(new OkHttpClient(), endpoint);
            List<HubApi.RepoFile> files = api.tree("onnx-community/Tiny", "main", CancellationToken.none());
            RecordedRequest req = hub.takeRequest();
            assertThat(req.getPath()).isEqualTo("/mirror/api/models/onnx-community/Tiny/tree/main?recursive=true");

            JsonNode out = io.llmcp.methods.ModelListings.variants("onnx-community/Tiny", "main",
                    api.resolveBase("onnx-community/Tiny", "main"), ModelVariants.of(files));
            assertThat(ModelVariants.of(files).hasTokenizer()).isTrue();
            assertThat(out.get("url").asText()).isEqualTo(hub.url("/mirror/onnx-community/Tiny/resolve/main/").toString());
            JsonNode fp32 = find(out, "fp32");
            assertThat(fp32.get("modelFileName").asText()).isEqualTo("onnx/model.onnx");
            assertThat(fp32.get("dataFiles")).hasSize(2);
            assertThat(fp32.get("bytes").asLong()).isEqualTo(500000L + 2000000000L + 400000000L);
            assertThat(fp32.get("totalBytes").asLong()).isEqualTo(fp32.get("bytes").asLong() + 9700);
            assertThat(find(out, "q4").get("bytes").asLong()).isEqualTo(800000000L);
            assertThat(find(out, "q8").get("modelFileName").asText()).isEqualTo("onnx/model_quantized.onnx");
            for (String d : List.of("fp16", "q4f16", "int8", "uint8", "bnb4")) assertThat(find(out, d)).isNotNull();
            assertThat(out.get("variants")).hasSize(8);

            assertThatThrownBy(() -> api.tree("onnx-community/Missing", "main", CancellationToken.none()))
                    .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.HTTP_NOT_FOUND)));
        }
    }

    private static JsonNode find(JsonNode out, String dtype) {
        for (JsonNode v : out.get("variants")) if (v.get("dtype").asText().equals(dtype)) return v;
        return null;
    }
}
