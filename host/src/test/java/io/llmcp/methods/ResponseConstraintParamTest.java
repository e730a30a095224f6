package io.llmcp.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.constrain.MiniValidator;
import io.llmcp.constrain.Schemas;
import io.llmcp.inference.Generator;
import io.llmcp.inference.TinyModelFixture;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import io.llmcp.tooling.testmodel.ModelOptions;
import io.llmcp.tooling.testmodel.TestModels;
import io.llmcp.tooling.testmodel.Variant;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate} with {@code responseConstraint}: the answer validates; a bad schema is -32602 before loading. */
class ResponseConstraintParamTest {
    @TempDir
    Path tmp;

    @Test
    void generateHonoursTheSchema() throws Exception {
        JsonNode schema = Schemas.all().get(0);
        try (TinyModelFixture f = TinyModelFixture.build(tmp, TestModels.tinyShape(), Variant.KV_CACHE, ModelOptions.none())) {
            GenerateMethods method = new GenerateMethods(id -> new GenerateMethods.Target() {
                public Generator generator() {
                    return f.generator();
                }

                public String renderChat(JsonNode messages) {
                    return messages.get(0).get("content").asText();
                }
            });
            ObjectNode params = Json.object().put("modelId", "tiny").put("prompt", "Give me a person");
            params.set("responseConstraint", schema);
            params.putObject("params").put("temperature", 0.7).put("seed", 3).put("maxNewTokens", 40);
            StringBuilder streamed = new StringBuilder();
            JsonNode r = method.handle(RpcCall.local("generate", params, CancellationToken.none(),
                    (m, b) -> streamed.append(b.get("text").asText())));
            String text = r.get("text").asText();
            assertThat(streamed.toString()).isEqualTo(text);
            assertThat(MiniValidator.valid(schema, Json.MAPPER.readTree(text))).as(text).isTrue();
            assertThat(r.get("contextWindow").asInt()).isEqualTo(f.generator().spec().maxPositions());
        }
    }

    @Test
    void badSchemaNamesTheField() {
        GenerateMethods method = new GenerateMethods(id -> {
            throw new AssertionError("must not load a model for bad params");
        });
        for (String bad : new String[]{"{\"type\":\"integer\",\"minimum\":1}", "\"x\"", "{\"type\":\"thing\"}",
                "{\"regex\":\"a+\"}"}) {
            ObjectNode params = Json.object().put("modelId", "m").put("prompt", "x");
            params.set("responseConstraint", Schemas.parse(bad));
            assertThatThrownBy(() -> method.handle(RpcCall.local("generate", params, CancellationToken.none(), (m, b) -> { })))
                    .isInstanceOfSatisfying(RpcException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
                        assertThat(e.data().get("field").asText()).isEqualTo("responseConstraint");
                    });
        }
    }
}
