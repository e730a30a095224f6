package io.llmcp.template;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.llmcp.Coded;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Optional extra: every template x case of the external corpus ({@link ChatTemplateCorpus}) renders byte for
 * byte as its {@code expected.json} says, or fails with exactly the template's raise_exception message. Without
 * the corpus this reports one skipped test; the repository's own suite is {@link ChatTemplateReferenceTest}.
 */
class ChatTemplateConformanceTest {

    @TestFactory
    Stream<DynamicTest> externalCorpusRendersExactlyAsTheReferenceEngine() {
        Optional<ChatTemplateCorpus> found = ChatTemplateCorpus.find();
        if (found.isEmpty()) {
            return Stream.of(dynamicTest("external chat-template corpus",
                    () -> assumeTrue(false, ChatTemplateCorpus.absentMessage())));
        }
        ChatTemplateCorpus corpus = found.get();
        List<DynamicTest> all = new ArrayList<>();
        corpus.cases.get("templates").fieldNames().forEachRemaining(template ->
                corpus.cases.get("cases").fieldNames().forEachRemaining(c -> all.add(
                        dynamicTest(template + " / " + c, () -> check(corpus, template, c)))));
        assertThat(all).isNotEmpty();
        return all.stream();
    }

    private static void check(ChatTemplateCorpus corpus, String template, String caseName) throws Exception {
        JsonNode spec = corpus.cases.get("templates").get(template);
        JsonNode testCase = corpus.cases.get("cases").get(caseName);
        JsonNode expected = corpus.expected.path(template).get(caseName);
        assertThat(expected).as("expectation for " + template + " / " + caseName).isNotNull();

        Map<String, Object> variables = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.get("variables").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            variables.put(e.getKey(), Json.MAPPER.convertValue(e.getValue(), Object.class));
        }
        ChatTemplate chatTemplate = new ChatTemplate(corpus.templateText(template), variables);
        List<Message> messages = Message.listFrom(Json.MAPPER.convertValue(testCase.get("messages"), Object.class));
        boolean addGenerationPrompt = testCase.get("add_generation_prompt").asBoolean();

        if (expected.isObject()) {
            assertThatThrownBy(() -> chatTemplate.render(messages, addGenerationPrompt, null))
                    .as(template + " / " + caseName)
                    .satisfies(coded())
                    .hasMessage(expected.get("error").asText())
                    .satisfies(e -> assertThat(Coded.of(e).code()).isEqualTo(ErrorCodes.TEMPLATE_ERROR));
        } else {
            assertThat(chatTemplate.render(messages, addGenerationPrompt, null))
                    .as(template + " / " + caseName).isEqualTo(expected.asText());
        }
    }
}
