package io.llmcp.models;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmcp.failure.Failure;
import io.llmcp.fetch.FetchException;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.fetch.RemoteFile;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PullPlannerTest {
    private static final String BASE = "https://huggingface.co/org/repo/resolve/main/";
    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    private final Map<String, RemoteFile> repo = new HashMap<>();
    private final List<String> asked = new ArrayList<>();

    private final Function<String, RemoteFile> head = url -> {
        asked.add(url);
        RemoteFile f = repo.get(url.substring(BASE.length()));
        if (f == null) throw new FetchException(Failure.REMOTE_NOT_FOUND, "not found: " + url);
        return f;
    };

    private static ModelConfig config() {
        return ModelConfig.fromJson(Json.object().put("modelId", "m").put("url", BASE));
    }

    private static JsonNode twoParts() throws Exception {
        return Json.MAPPER.readTree("{\"transformers.js_config\":{\"use_external_data_format\":2}}");
    }

    @Test
    void linksWhatTheStoreHoldsDownloadsTheRestSkipsMissingOptionals() throws Exception {
        repo.put("config.json", new RemoteFile(100, null, "\"git1\"", "rev", BASE + "config.json"));
        repo.put("onnx/model.onnx", new RemoteFile(1000, SHA_A, "\"" + SHA_A + "\"", "rev", "https://cdn/x"));
        repo.put("onnx/model.onnx_data", new RemoteFile(5000, SHA_B, "\"" + SHA_B + "\"", "rev", "https://cdn/y"));
        repo.put("onnx/model.onnx_data_1", new RemoteFile(7000, null, "\"etag\"", "rev", "https://cdn/z"));
        repo.put("tokenizer.json", new RemoteFile(300, null, "\"git2\"", "rev", BASE + "tokenizer.json"));

        PullPlanner.Plan plan = PullPlanner.plan(config(), twoParts(), head, Set.of(SHA_A)::contains);

        assertThat(plan.files()).extracting(PullPlanner.PlannedFile::path).containsExactly("config.json", "onnx/model.onnx",
                "onnx/model.onnx_data", "onnx/model.onnx_data_1", "tokenizer.json", "tokenizer_config.json", "chat_template.jinja",
                "chat_template.json", "generation_config.json", "special_tokens_map.json");
        assertThat(plan.with(PullPlanner.Action.LINK)).extracting(PullPlanner.PlannedFile::path).containsExactly("onnx/model.onnx");
        assertThat(plan.with(PullPlanner.Action.DOWNLOAD)).extracting(PullPlanner.PlannedFile::path)
                .containsExactly("config.json", "onnx/model.onnx_data", "onnx/model.onnx_data_1", "tokenizer.json");
        assertThat(plan.with(PullPlanner.Action.ABSENT)).hasSize(5).allMatch(f -> !f.required());
        assertThat(plan.bytesLinked()).isEqualTo(1000);
        assertThat(plan.bytesToDownload()).isEqualTo(100 + 5000 + 7000 + 300);

        PullPlanner.PlannedFile data = plan.files().get(2);
        assertThat(data.request().url()).isEqualTo(BASE + "onnx/model.onnx_data");
        assertThat(data.request().expectedSha256()).isEqualTo(SHA_B);
        assertThat(data.request().expectedSize()).isEqualTo(5000);
        assertThat(asked).hasSize(10);
    }

    @Test
    void missingRequiredFileFails() {
        repo.put("config.json", new RemoteFile(100, null, null, null, BASE + "config.json"));
        assertThatThrownBy(() -> PullPlanner.plan(config(), null, head, sha -> false))
                .satisfies(coded(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.HTTP_NOT_FOUND);
                    assertThat(e.getMessage()).contains("onnx/model.onnx");
                }));
    }

    @Test
    void gatedOptionalFileIsStillAnError() {
        repo.put("config.json", new RemoteFile(1, null, null, null, ""));
        repo.put("onnx/model.onnx", new RemoteFile(1, null, null, null, ""));
        Function<String, RemoteFile> gated = url -> {
            if (url.endsWith("tokenizer.json")) throw new FetchException(Failure.UNAUTHORIZED, "gated");
            return head.apply(url);
        };
        assertThatThrownBy(() -> PullPlanner.plan(config(), null, gated, sha -> false))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.HTTP_UNAUTHORIZED)));
    }

    @Test
    void unknownShaIsNeverLinked() {
        repo.put("config.json", new RemoteFile(1, null, null, null, ""));
        repo.put("onnx/model.onnx", new RemoteFile(1, null, "\"x\"", null, ""));
        PullPlanner.Plan plan = PullPlanner.plan(config(), null, head, sha -> true);
        assertThat(plan.with(PullPlanner.Action.LINK)).isEmpty();
    }

    @Test
    void changeDetection() {
        RemoteFile same = new RemoteFile(10, SHA_A, "\"" + SHA_A + "\"", "r2", "");
        assertThat(PullPlanner.changed(SHA_A, "\"old\"", 10, same)).isFalse();
        assertThat(PullPlanner.changed(SHA_B, null, 10, same)).isTrue();
        RemoteFile noSha = new RemoteFile(10, null, "W/\"abc\"", "r2", "");
        assertThat(PullPlanner.changed(null, "\"abc\"", 10, noSha)).isFalse();
        assertThat(PullPlanner.changed(null, "\"abd\"", 10, noSha)).isTrue();
        assertThat(PullPlanner.changed(null, "\"abc\"", 11, noSha)).isTrue();
        assertThat(PullPlanner.changed(null, null, -1, new RemoteFile(-1, null, null, null, ""))).isFalse();
        assertThat(PullPlanner.changed(null, null, -1, noSha)).isTrue();
    }
}
