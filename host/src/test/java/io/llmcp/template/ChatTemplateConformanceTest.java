package io.llmcp.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.RpcException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every template x case of the shared corpus renders byte for byte as @huggingface/jinja (and Jinja2) render it,
 * or fails with exactly the template's raise_exception message.
 */
class ChatTemplateConformanceTest {
    private static final ChatTemplateCorpus CORPUS = ChatTemplateCorpus.load();

    static Stream<Arguments> corpus() {
        List<Arguments> all = new ArrayList<>();
        CORPUS.cases.get("templates").fieldNames().forEachRemaining(template ->
                CORPUS.cases.get("cases").fieldNames().forEachRemaining(c -> all.add(Arguments.of(template, c))));
        return all.stream();
    }

    @Test
    void corpusHasAllFortyEightExpectations() {
        assertThat(corpus()).hasSize(48);
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("corpus")
    void rendersExactlyAsTheReferenceEngine(String template, String caseName) throws Exception {
        JsonNode spec = CORPUS.cases.get("templates").get(template);
        JsonNode testCase = CORPUS.cases.get("cases").get(caseName);
        JsonNode expected = CORPUS.expected.get(template).get(caseName);

        Map<String, Object> variables = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.get("variables").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            variables.put(e.getKey(), TemplateValues.fromJson(e.getValue()));
        }
        ChatTemplate chatTemplate = new ChatTemplate(CORPUS.templateText(template), variables);
        List<Message> messages = Message.listFromJson(testCase.get("messages"));
        boolean addGenerationPrompt = testCase.get("add_generation_prompt").asBoolean();

        if (expected.isObject()) {
            assertThatThrownBy(() -> chatTemplate.render(messages, addGenerationPrompt, null))
                    .isInstanceOf(RpcException.class)
                    .hasMessage(expected.get("error").asText())
                    .satisfies(e -> assertThat(((RpcException) e).code()).isEqualTo(ErrorCodes.TEMPLATE_ERROR));
        } else {
            assertThat(chatTemplate.render(messages, addGenerationPrompt, null)).isEqualTo(expected.asText());
        }
    }
}
