package io.llmcp.models;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
    private static final String BASE = "https://huggingface.co/onnx-community/Qwen2.5-0.5B-Instruct/resolve/main/";

    private static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ModelConfig config(String extra) {
        return ModelConfig.fromJson(json("{'modelId':'qwen','url':'" + BASE + "'" + extra + "}"));
    }

    private static void invalid(String jsonText, String field) {
        assertThatThrownBy(() -> ModelConfig.fromJson(json(jsonText))).satisfies(coded(e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
            assertThat(e.data().path("field").asText()).isEqualTo(field);
        }));
    }

    @Test
    void defaults() {
        ModelConfig c = config("");
        assertThat(c.name()).isEqualTo("qwen");
        assertThat(c.modelFileName()).isEqualTo("onnx/model.onnx");
        assertThat(c.configFileName()).isEqualTo("config.json");
        assertThat(c.modelExDataFileName()).isNull();
        assertThat(c.baseUrl().toString()).isEqualTo(BASE);
        assertThat(c.fileUrl("onnx/model.onnx").toString()).isEqualTo(BASE + "onnx/model.onnx");
        assertThat(c.toJson().has("modelExDataFileName")).isFalse();
    }

    @Test
    void baseUrlWhenUrlPointsAtTheModelFile() {
        ModelConfig c = ModelConfig.fromJson(json("{'modelId':'q','url':'" + BASE + "onnx/model_q4.onnx?download=true',"
                + "'modelFileName':'onnx/model_q4.onnx'}"));
        assertThat(c.baseUrl().toString()).isEqualTo(BASE);
        assertThat(c.fileUrl("tokenizer.json").toString()).isEqualTo(BASE + "tokenizer.json");
        ModelConfig noSlash = ModelConfig.fromJson(json("{'modelId':'q','url':'https://h.co/org/repo/resolve/main'}"));
        assertThat(noSlash.baseUrl().toString()).isEqualTo("https://h.co/org/repo/resolve/main/");
        ModelConfig rootFile = ModelConfig.fromJson(json("{'modelId':'q','url':'https://h.co/onnx/model.onnx'}"));
        assertThat(rootFile.baseUrl().toString()).isEqualTo("https://h.co/");
    }

    @Test
    void fileNamesAreEncodedInUrls() {
        assertThat(config("").fileUrl("dir with space/a#b?.onnx").toString()).isEqualTo(BASE + "dir%20with%20space/a%23b%3F.onnx");
    }

    @Test
    void validationNamesTheField() {
        invalid("{'url':'" + BASE + "'}", "config.modelId");
        invalid("{'modelId':'','url':'" + BASE + "'}", "config.modelId");
        invalid("{'modelId':7,'url':'" + BASE + "'}", "config.modelId");
        invalid("{'modelId':'a\\nb','url':'" + BASE + "'}", "config.modelId");
        invalid("{'modelId':'q'}", "config.url");
        invalid("{'modelId':'q','url':'ftp://x/'}", "config.url");
        invalid("{'modelId':'q','url':'not a url'}", "config.url");
        invalid("{'modelId':'q','url':'" + BASE + "','size':-1}", "config.size");
        invalid("{'modelId':'q','url':'" + BASE + "','size':'big'}", "config.size");
        invalid("{'modelId':'q','url':'" + BASE + "','modelFileName':5}", "config.modelFileName");
        assertThatThrownBy(() -> ModelConfig.fromJson(null)).satisfies(coded(e -> assertThat(e.data().path("field").asText()).isEqualTo("config")));
        assertThatThrownBy(() -> ModelConfig.fromJson(json("[]"))).satisfies(coded());
    }

    @Test
    void hostileFileNamesAreRefused() {
        for (String f : List.of("modelFileName", "configFileName", "modelExDataFileName")) {
            assertThatThrownBy(() -> config(",'" + f + "':'../../etc/passwd'")).satisfies(coded(e -> {
                assertThat(e.code()).isEqualTo(ErrorCodes.URL_REFUSED);
                assertThat(e.getMessage()).contains("config." + f);
            }));
        }
        assertThatThrownBy(() -> config("").fileUrl("/abs")).satisfies(coded());
    }

    @Test
    void externalDataPartsAsANumber() {
        JsonNode cfg = json("{'transformers.js_config':{'use_external_data_format':3}}");
        assertThat(config("").externalDataParts(cfg))
                .containsExactly("onnx/model.onnx_data", "onnx/model.onnx_data_1", "onnx/model.onnx_data_2");
    }

    @Test
    void externalDataPartsAsBooleanOrMap() {
        assertThat(config("").externalDataParts(json("{'transformers.js_config':{'use_external_data_format':true}}")))
                .containsExactly("onnx/model.onnx_data");
        assertThat(config("").externalDataParts(json("{'transformers.js_config':{'use_external_data_format':false}}"))).isEmpty();
        JsonNode map = json("{'transformers.js_config':{'use_external_data_format':{'model_q4f16.onnx':2,'model.onnx':true,"
                + "'decoder':4}}}");
        assertThat(config(",'modelFileName':'onnx/model_q4f16.onnx'").externalDataParts(map))
                .containsExactly("onnx/model_q4f16.onnx_data", "onnx/model_q4f16.onnx_data_1");
        assertThat(config("").externalDataParts(map)).containsExactly("onnx/model.onnx_data");
        assertThat(config(",'modelFileName':'onnx/decoder.onnx'").externalDataParts(map)).hasSize(4);
        assertThat(config(",'modelFileName':'onnx/other.onnx'").externalDataParts(map)).isEmpty();
        assertThat(config("").externalDataParts(json("{}"))).isEmpty();
        assertThat(config("").externalDataParts(null)).isEmpty();
    }

    @Test
    void absurdPartCountsAreRefused() {
        assertThatThrownBy(() -> config("").externalDataParts(json("{'transformers.js_config':{'use_external_data_format':100000}}")))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID)));
        assertThatThrownBy(() -> config("").externalDataParts(json("{'transformers.js_config':{'use_external_data_format':'x'}}")))
                .satisfies(coded());
    }

    @Test
    void filePlan() {
        ModelConfig c = config(",'modelExDataFileName':'onnx/model.onnx_data'");
        JsonNode cfg = json("{'transformers.js_config':{'use_external_data_format':2}}");
        assertThat(c.requiredFiles(cfg)).containsExactly("config.json", "onnx/model.onnx", "onnx/model.onnx_data", "onnx/model.onnx_data_1");
        assertThat(c.requiredFiles(null)).containsExactly("config.json", "onnx/model.onnx", "onnx/model.onnx_data");
        assertThat(c.optionalFiles()).containsExactly("tokenizer.json", "tokenizer_config.json", "chat_template.jinja",
                "chat_template.json", "generation_config.json", "special_tokens_map.json");
        ModelConfig odd = config(",'configFileName':'tokenizer_config.json'");
        assertThat(odd.optionalFiles()).doesNotContain("tokenizer_config.json");
    }

    @Test
    void roundTripsThroughJackson() throws Exception {
        ModelConfig c = config(",'name':'Qwen','size':123,'modelExDataFileName':'onnx/model.onnx_data'");
        ModelConfig back = Json.MAPPER.treeToValue(c.toJson(), ModelConfig.class);
        assertThat(back).isEqualTo(c);
    }
}
