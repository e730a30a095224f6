package io.llmcp.methods;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.fetch.HubApi;
import io.llmcp.models.ModelSearch;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.testing.FakeHub;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * {@code models.search} against a loopback Hub: the search request huggingface_hub would send, then one tree listing per
 * repo for its variants and sizes, gated or not, licence, whether it can chat here and which variants fit in memory.
 */
class ModelSearchTest {
    static final long GB = FakeHub.GB;
    @Test
    void findsOnnxReposWithTheirVariantsSizesLicenceGatingAndWhatFits() throws Exception {
        try (MockWebServer server = FakeHub.start()) {
            HubApi api = new HubApi(new OkHttpClient(), HubApi.endpoint(Map.of("HF_ENDPOINT", server.url("/").toString())));
            List<ModelSearch.Found> found = ModelSearch.search(api, " qwen chat ", 7, CancellationToken.none());
            JsonNode out = ModelListings.search("qwen chat", GB, found);

            RecordedRequest search = server.takeRequest();
            assertThat(search.getRequestUrl().queryParameter("search")).isEqualTo("qwen chat");
            assertThat(search.getRequestUrl().queryParameter("filter")).isEqualTo("onnx");
            assertThat(search.getRequestUrl().queryParameter("sort")).isEqualTo("downloads");
            assertThat(search.getRequestUrl().queryParameter("limit")).isEqualTo("7");
            assertThat(search.getRequestUrl().queryParameterValues("expand")).contains("gated", "downloads", "tags", "pipeline_tag");
            assertThat(server.takeRequest().getPath()).isEqualTo("/api/models/onnx-community/Qwen-Chat/tree/main?recursive=true");

            JsonNode results = out.get("results");
            assertThat(results).extracting(r -> r.get("repo").asText()).containsExactly("onnx-community/Qwen-Chat",
                    "meta/Gated-Llama", "someone/No-Tokenizer", "Xenova/Embedder", "gone/Vanished");
            assertThat(out.get("availableBytes").asLong()).isEqualTo(GB);

            JsonNode qwen = results.get(0);
            assertThat(qwen.get("url").asText()).isEqualTo(server.url("/onnx-community/Qwen-Chat/resolve/main/").toString());
            assertThat(qwen.get("gated").asBoolean()).isFalse();
            assertThat(qwen.get("license").asText()).isEqualTo("apache-2.0");
            assertThat(qwen.get("downloads").asLong()).isEqualTo(5000);
            assertThat(qwen.get("chat").get("usable").asBoolean()).isTrue();
            assertThat(variant(qwen, "q4").get("bytes").asLong()).isEqualTo(GB / 2);
            assertThat(variant(qwen, "q4").get("fits").asBoolean()).isTrue();
            assertThat(variant(qwen, "fp32").get("bytes").asLong()).isEqualTo(3 * GB + 1000);
            assertThat(variant(qwen, "fp32").get("fits").asBoolean()).as("3 GB of weights in 1 GB").isFalse();
            assertThat(variant(qwen, "fp32").get("dataFiles")).extracting(JsonNode::asText).containsExactly("onnx/model.onnx_data");

            JsonNode gated = results.get(1);
            assertThat(gated.get("gated").asBoolean()).isTrue();
            assertThat(gated.get("gatedMode").asText()).isEqualTo("manual");
            assertThat(gated.get("license").asText()).isEqualTo("llama3.2");

            JsonNode mute = results.get(2);
            assertThat(mute.get("chat").get("usable").asBoolean()).isFalse();
            assertThat(mute.get("chat").get("reason").asText()).contains("tokenizer.json");
            assertThat(results.get(3).get("chat").get("reason").asText()).contains("feature-extraction");
            assertThat(results.get(4).get("error").asText()).as("a repo the Hub will not list does not hide the others")
                    .contains("gone/Vanished");

            assertThatThrownBy(() -> ModelSearch.search(api, "boom", 5, CancellationToken.none()))
                    .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.DOWNLOAD_FAILED)));
            assertThatThrownBy(() -> api.search(" ", 5, CancellationToken.none()))
                    .satisfies(coded(e -> assertThat(e.data().get("field").asText()).isEqualTo("query")));
        }
    }

    static JsonNode variant(JsonNode result, String dtype) {
        for (JsonNode v : result.get("variants")) if (v.get("dtype").asText().equals(dtype)) return v;
        throw new AssertionError("no " + dtype + " in " + result);
    }
}
